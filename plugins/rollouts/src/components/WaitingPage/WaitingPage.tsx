import {
  Box,
  FormControl,
  InputLabel,
  MenuItem,
  Select,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@material-ui/core';
import {
  Content,
  Header,
  Link,
  Page,
  Progress,
  WarningPanel,
} from '@backstage/core-components';
import { parseEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/frontend-plugin-api';
import type {
  WaitingItem,
  WaitingResponse,
} from '@careplane/plugin-rollouts-common';
import { useEffect, useMemo, useState } from 'react';
import { describeError } from '@careplane/plugin-clusters-react';
import { rolloutsApiRef } from '../../api/RolloutsApi';
import { formatDuration } from '../shared/format';
import { PhaseChip } from '../shared/PhaseChip';

const STATES = [
  'paused',
  'degraded',
  'aborted',
  'inconclusive',
  'deadline',
] as const;
const STATE_WORDS: Record<string, string> = {
  paused: 'paused for a person',
  degraded: 'degraded',
  aborted: 'aborted',
  inconclusive: 'analysis inconclusive',
  deadline: 'progress deadline exceeded',
};

function entityLink(item: WaitingItem): string | undefined {
  if (!item.entityRef) return undefined;
  const { kind, namespace, name } = parseEntityRef(item.entityRef);
  return `/catalog/${namespace}/${kind.toLocaleLowerCase(
    'en-US',
  )}/${name}/rollouts`;
}

function Filter(props: {
  label: string;
  value: string;
  options: string[];
  onChange(v: string): void;
  words?: Record<string, string>;
}) {
  return (
    <FormControl style={{ minWidth: 200 }}>
      <InputLabel>{props.label}</InputLabel>
      <Select
        value={props.value}
        onChange={e => props.onChange(String(e.target.value))}
        inputProps={{ 'aria-label': props.label }}
      >
        <MenuItem value="">All</MenuItem>
        {props.options.map(o => (
          <MenuItem key={o} value={o}>
            {props.words?.[o] ?? o}
          </MenuItem>
        ))}
      </Select>
    </FormControl>
  );
}

/**
 * "Waiting for you": every release on every cluster that waits for a person, oldest first, with
 * filters by team, cluster and state. Refreshed every 10 s from the backend's event-fed index.
 */
export function WaitingPage(props: { refreshMs?: number }) {
  const api = useApi(rolloutsApiRef);
  const [answer, setAnswer] = useState<WaitingResponse>();
  const [error, setError] = useState<Error>();
  const [team, setTeam] = useState('');
  const [cluster, setCluster] = useState('');
  const [state, setState] = useState('');
  const [tick, setTick] = useState(0);
  const refreshMs = props.refreshMs ?? 10_000;

  useEffect(() => {
    const timer = setInterval(() => setTick(t => t + 1), refreshMs);
    return () => clearInterval(timer);
  }, [refreshMs]);
  useEffect(() => {
    let disposed = false;
    api.getWaiting().then(
      a => !disposed && (setAnswer(a), setError(undefined)),
      e => !disposed && setError(e),
    );
    return () => {
      disposed = true;
    };
  }, [api, tick]);

  const items = useMemo(
    () =>
      (answer?.items ?? []).filter(
        i =>
          (!team || i.owner === team) &&
          (!cluster || i.cluster === cluster) &&
          (!state || i.state === state),
      ),
    [answer, team, cluster, state],
  );
  const teams = [
    ...new Set(
      (answer?.items ?? [])
        .map(i => i.owner)
        .filter((o): o is string => Boolean(o)),
    ),
  ].sort();
  const clusters = [
    ...new Set((answer?.clusters ?? []).map(c => c.cluster)),
  ].sort();

  return (
    <Page themeId="tool">
      <Header
        title="Waiting for you"
        subtitle="Releases on every cluster that wait for a person"
      />
      <Content>
        <Box display="flex" style={{ gap: 16 }} mb={2} flexWrap="wrap">
          <Filter
            label="Team"
            value={team}
            options={teams}
            onChange={setTeam}
          />
          <Filter
            label="Cluster"
            value={cluster}
            options={clusters}
            onChange={setCluster}
          />
          <Filter
            label="State"
            value={state}
            options={[...STATES]}
            onChange={setState}
            words={STATE_WORDS}
          />
        </Box>
        {error && (
          <WarningPanel
            title="Could not load the waiting releases"
            message={describeError(error)}
          />
        )}
        {!answer && !error && <Progress />}
        {answer && items.length === 0 && (
          <Typography>Nothing is waiting for a person.</Typography>
        )}
        {items.length > 0 && (
          <Table size="small" aria-label="Releases waiting for a person">
            <TableHead>
              <TableRow>
                <TableCell>Waiting for</TableCell>
                <TableCell>State</TableCell>
                <TableCell>Release</TableCell>
                <TableCell>Cluster</TableCell>
                <TableCell>Team</TableCell>
                <TableCell>What it says</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {items.map(i => {
                const link = entityLink(i);
                return (
                  <TableRow
                    key={`${i.cluster}/${i.kind}/${i.namespace}/${i.name}`}
                  >
                    <TableCell>
                      {i.ageSeconds !== undefined
                        ? formatDuration(i.ageSeconds * 1000)
                        : '–'}
                    </TableCell>
                    <TableCell>
                      <PhaseChip phase={i.phase} label={STATE_WORDS[i.state]} />
                    </TableCell>
                    <TableCell>
                      {link ? (
                        <Link to={link}>{`${i.kind} ${i.name}`}</Link>
                      ) : (
                        `${i.kind} ${i.name}`
                      )}
                    </TableCell>
                    <TableCell>{i.cluster}</TableCell>
                    <TableCell>
                      {i.owner ?? 'no owner in the catalog'}
                    </TableCell>
                    <TableCell>{i.message}</TableCell>
                  </TableRow>
                );
              })}
            </TableBody>
          </Table>
        )}
      </Content>
    </Page>
  );
}
