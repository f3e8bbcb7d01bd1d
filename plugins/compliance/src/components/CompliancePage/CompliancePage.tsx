import { Content, Header, InfoCard, Page } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import {
  Grid,
  LinearProgress,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@material-ui/core';
import type {
  ExemptionDto,
  Overview,
  RollUp,
} from '@careplane/plugin-compliance-common';
import { useCallback, useEffect, useState } from 'react';
import {
  CartesianGrid,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { complianceApiRef } from '../../api';
import { ExemptionList } from '../shared/ExemptionList';
import { ExportButtons } from '../shared/ExportButtons';
import { Matrix } from './Matrix';
import { ago, STATUS_WORDS, targetWords } from '../shared/words';

function Ranking(props: {
  title: string;
  rows: Array<RollUp & { title?: string }>;
}) {
  return (
    <InfoCard title={props.title}>
      <Table size="small" aria-label={props.title}>
        <TableHead>
          <TableRow>
            <TableCell>Name</TableCell>
            <TableCell>Services</TableCell>
            <TableCell>Score</TableCell>
            <TableCell>Grade</TableCell>
            <TableCell>Critical failures</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {props.rows.map(r => (
            <TableRow key={r.key}>
              <TableCell>{r.title ?? r.key}</TableCell>
              <TableCell>{r.entities}</TableCell>
              <TableCell>{r.score ?? 'no data'}</TableCell>
              <TableCell>
                {r.grade}
                {r.capped ? ' (capped)' : ''}
              </TableCell>
              <TableCell>{r.criticalFailures}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </InfoCard>
  );
}

/** The Compliance page: teams and systems ranked, the trend, services × safeguards, regressions, exemptions. */
export function CompliancePage() {
  const api = useApi(complianceApiRef);
  const [overview, setOverview] = useState<Overview>();
  const [exemptions, setExemptions] = useState<ExemptionDto[]>([]);
  const [error, setError] = useState<Error>();
  const [tick, setTick] = useState(0);
  const refresh = useCallback(() => setTick(t => t + 1), []);
  useEffect(() => {
    const timer = setInterval(refresh, 30_000);
    return () => clearInterval(timer);
  }, [refresh]);
  useEffect(() => {
    Promise.all([api.getOverview(), api.listExemptions()]).then(([o, e]) => {
      setOverview(o);
      setExemptions(e);
      setError(undefined);
    }, setError);
  }, [api, tick]);
  return (
    <Page themeId="tool">
      <Header
        title="Compliance"
        subtitle="HIPAA Security Rule safeguards, from the live state of every workload"
      />
      <Content>
        {error && (
          <Typography color="error">
            Could not load the overview: {error.message}
          </Typography>
        )}
        {!overview && !error && (
          <LinearProgress aria-label="Loading the overview" />
        )}
        {overview && (
          <Grid container spacing={2}>
            <Grid item xs={12}>
              <Typography variant="body2">
                {overview.entities.length} services · evaluated{' '}
                {ago(overview.evaluatedAt)} · <ExportButtons query={{}} />
              </Typography>
            </Grid>
            <Grid item xs={12} md={6}>
              <Ranking title="Teams" rows={overview.teams} />
            </Grid>
            <Grid item xs={12} md={6}>
              <Ranking title="Systems" rows={overview.systems} />
            </Grid>
            <Grid item xs={12} md={6}>
              <InfoCard title="Trend (mean score of every service)">
                <div style={{ width: '100%', height: 220 }} aria-label="Trend">
                  <ResponsiveContainer>
                    <LineChart data={overview.trend}>
                      <CartesianGrid strokeDasharray="3 3" />
                      <XAxis dataKey="day" />
                      <YAxis domain={[0, 100]} />
                      <Tooltip />
                      <Line
                        type="monotone"
                        dataKey="score"
                        stroke="#1565c0"
                        isAnimationActive={false}
                      />
                    </LineChart>
                  </ResponsiveContainer>
                </div>
              </InfoCard>
            </Grid>
            <Grid item xs={12} md={6}>
              <Ranking
                title="Safeguards across PHI services"
                rows={overview.safeguards}
              />
            </Grid>
            <Grid item xs={12}>
              <InfoCard title="Services × safeguards">
                <Matrix overview={overview} />
              </InfoCard>
            </Grid>
            <Grid item xs={12} md={6}>
              <InfoCard title="Worst regressions (was passing, now failing; last 30 days)">
                {overview.regressions.length === 0 && (
                  <Typography variant="body2">No regression.</Typography>
                )}
                {overview.regressions.map((r, i) => (
                  <Typography variant="body2" key={i}>
                    {r.changedAt.slice(0, 16).replace('T', ' ')} · {r.entityRef}{' '}
                    · {r.checkId}: {STATUS_WORDS[r.previousStatus ?? 'pass']} →{' '}
                    {STATUS_WORDS[r.status]} on {targetWords(r.target)}
                  </Typography>
                ))}
              </InfoCard>
            </Grid>
            <Grid item xs={12} md={6}>
              <InfoCard title="Exemptions">
                <ExemptionList
                  exemptions={exemptions}
                  onChange={refresh}
                  showEntity
                />
              </InfoCard>
            </Grid>
          </Grid>
        )}
      </Content>
    </Page>
  );
}
