import {
  Box,
  Button,
  Checkbox,
  FormControlLabel,
  MenuItem,
  TextField,
  Typography,
} from '@material-ui/core';
import { useApi } from '@backstage/frontend-plugin-api';
import type { RunPodInfo } from '@careplane/plugin-training-common';
import { useCallback, useEffect, useState } from 'react';
import { trainingApiRef } from '../../api/TrainingApi';

/** Logs per pod and container, the previous (crashed) container too; refreshed while running. */
export function LogsPanel(props: { runId: string; live: boolean }) {
  const api = useApi(trainingApiRef);
  const [pods, setPods] = useState<RunPodInfo[]>([]);
  const [pod, setPod] = useState('');
  const [previous, setPrevious] = useState(false);
  const [text, setText] = useState<string>();
  const [error, setError] = useState<string>();

  useEffect(() => {
    const load = () =>
      api.pods(props.runId).then(
        p => {
          setPods(p);
          setPod(current => current || p[0]?.name || '');
        },
        e => setError(e.message),
      );
    load();
    if (!props.live) return undefined;
    const t = setInterval(load, 5000);
    return () => clearInterval(t);
  }, [api, props.runId, props.live]);

  const fetchLogs = useCallback(async () => {
    if (!pod) return;
    try {
      setText(await api.logs(props.runId, { pod, previous, tailLines: 500 }));
      setError(undefined);
    } catch (e) {
      setError((e as Error).message);
    }
  }, [api, props.runId, pod, previous]);

  useEffect(() => {
    fetchLogs();
    if (!props.live) return undefined;
    const t = setInterval(fetchLogs, 5000);
    return () => clearInterval(t);
  }, [fetchLogs, props.live]);

  if (!pods.length) {
    return (
      <Typography color="textSecondary">
        No pods yet: logs appear once the run starts.
      </Typography>
    );
  }
  return (
    <Box>
      <Box display="flex" alignItems="center" mb={1}>
        <TextField
          select
          size="small"
          variant="outlined"
          label="Pod"
          value={pod}
          onChange={e => setPod(String(e.target.value))}
          style={{ minWidth: 320, marginRight: 16 }}
          inputProps={{ 'aria-label': 'Pod' }}
        >
          {pods.map(p => (
            <MenuItem key={p.name} value={p.name}>
              {p.name} ({p.phase}
              {p.restarts ? `, ${p.restarts} restarts` : ''})
            </MenuItem>
          ))}
        </TextField>
        <FormControlLabel
          control={
            <Checkbox
              checked={previous}
              onChange={e => setPrevious(e.target.checked)}
            />
          }
          label="Previous container"
        />
        <Button onClick={fetchLogs}>Refresh</Button>
      </Box>
      {error && <Typography color="error">{error}</Typography>}
      <pre
        aria-label="Logs"
        style={{
          maxHeight: 360,
          overflow: 'auto',
          background: '#111',
          color: '#eee',
          padding: 12,
          fontSize: 12,
        }}
      >
        {text ?? 'Loading…'}
      </pre>
    </Box>
  );
}
