import { Content, InfoCard } from '@backstage/core-components';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/frontend-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import { usePermission } from '@backstage/plugin-permission-react';
import { Box, Grid, LinearProgress, Typography } from '@material-ui/core';
import { complianceExemptionRequestPermission } from '@careplane/plugin-compliance-common';
import { useState } from 'react';
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
import { RequestExemptionDialog } from '../shared/ExemptionDialogs';
import { ExemptionList } from '../shared/ExemptionList';
import { ExportButtons } from '../shared/ExportButtons';
import { useChecks, useScorecard } from '../shared/useCompliance';
import { ago, GradeBadge } from '../shared/words';
import { CheckTable } from './CheckTable';

/** The entity "Compliance" tab: every check, evidence, remediation, history and exemptions. */
export function EntityComplianceContent() {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const api = useApi(complianceApiRef);
  const { card, history, exemptions, error, refresh } = useScorecard(entityRef);
  const checks = useChecks();
  const request = usePermission({
    permission: complianceExemptionRequestPermission,
    resourceRef: entityRef,
  });
  const [requesting, setRequesting] = useState<string>();
  let requestDisabledReason: string | undefined;
  if (request.loading) requestDisabledReason = 'Checking your permissions';
  else if (!request.allowed)
    requestDisabledReason =
      'Only the owners of this service (and platform admins) may request exemptions';
  const failing =
    card?.results.filter(r => r.status === 'fail' || r.status === 'warn') ?? [];
  return (
    <Content>
      {error && (
        <Typography color="error">
          Could not load the scorecard: {error.message}
        </Typography>
      )}
      {!card && !error && <LinearProgress aria-label="Loading the scorecard" />}
      {card && (
        <Grid container spacing={2}>
          <Grid item xs={12} md={6}>
            <InfoCard title="Score">
              <Box display="flex" alignItems="center" gridGap={16}>
                <GradeBadge
                  grade={card.score.grade}
                  score={card.score.score}
                  capped={card.score.capped}
                  size={72}
                />
                <Box>
                  <Typography variant="h5">
                    {card.score.score === null
                      ? 'Not evaluated yet'
                      : `${card.score.score} / 100`}
                  </Typography>
                  <Typography variant="body2">
                    {card.score.counts.pass} passing, {card.score.counts.fail}{' '}
                    failing, {card.score.counts.warn} warnings,{' '}
                    {card.score.counts.unknown} unknown,{' '}
                    {card.score.counts.exempt} exempt
                  </Typography>
                  <Typography variant="body2">
                    Coverage {Math.round(card.score.coverage * 100)} % (unknown
                    never counts as passing)
                  </Typography>
                  {card.score.capped && (
                    <Typography variant="body2">
                      Grade capped at D: a critical check fails
                    </Typography>
                  )}
                  <Typography variant="caption">
                    {card.phi ? 'PHI service' : 'Not classified PHI'} ·
                    evaluated {ago(card.evaluatedAt)}
                  </Typography>
                </Box>
              </Box>
              <ExportButtons query={{ entityRef }} />
            </InfoCard>
          </Grid>
          <Grid item xs={12} md={6}>
            <InfoCard title="Score over time">
              <div
                style={{ width: '100%', height: 160 }}
                aria-label="Score over time"
              >
                <ResponsiveContainer>
                  <LineChart
                    data={(history?.scores ?? []).map(s => ({
                      at: s.at.slice(0, 16).replace('T', ' '),
                      score: s.score,
                    }))}
                  >
                    <CartesianGrid strokeDasharray="3 3" />
                    <XAxis dataKey="at" />
                    <YAxis domain={[0, 100]} />
                    <Tooltip />
                    <Line
                      type="stepAfter"
                      dataKey="score"
                      stroke="#1565c0"
                      isAnimationActive={false}
                    />
                  </LineChart>
                </ResponsiveContainer>
              </div>
            </InfoCard>
          </Grid>
          <Grid item xs={12}>
            <InfoCard title="Every check">
              <CheckTable
                results={card.results}
                checks={checks}
                history={history}
                onRequestExemption={id => setRequesting(id)}
                requestDisabledReason={requestDisabledReason}
              />
            </InfoCard>
          </Grid>
          <Grid item xs={12}>
            <InfoCard title="Exemptions">
              <ExemptionList exemptions={exemptions} onChange={refresh} />
            </InfoCard>
          </Grid>
        </Grid>
      )}
      {requesting && (
        <RequestExemptionDialog
          entityRef={entityRef}
          failing={failing}
          initialCheckId={requesting}
          onCancel={() => setRequesting(undefined)}
          onSubmit={async r => {
            await api.requestExemption({ entityRef, ...r });
            setRequesting(undefined);
            refresh();
          }}
        />
      )}
    </Content>
  );
}
