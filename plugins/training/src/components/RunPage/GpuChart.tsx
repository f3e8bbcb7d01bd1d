import { Typography } from '@material-ui/core';
import type { RunGpuMetrics } from '@careplane/plugin-training-common';
import {
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';

const time = (t: number) =>
  new Date(t * 1000).toLocaleTimeString('en-GB', {
    hour: '2-digit',
    minute: '2-digit',
  });

/** GPU utilisation (%) and framebuffer memory (GiB) over the run. */
export function GpuChart(props: { metrics?: RunGpuMetrics }) {
  const m = props.metrics;
  if (!m)
    return <Typography color="textSecondary">Loading GPU metrics…</Typography>;
  if (m.status === 'not-configured') {
    return (
      <Typography color="textSecondary">
        This cluster has no metrics source, so GPU use cannot be shown.
      </Typography>
    );
  }
  if (m.status === 'unavailable') {
    return (
      <Typography color="error">
        GPU metrics are unavailable: {m.error}
      </Typography>
    );
  }
  if (!m.points.length) {
    return (
      <Typography color="textSecondary">
        No GPU samples yet: they start when the run runs.
      </Typography>
    );
  }
  const data = m.points.map(p => ({
    t: p.t,
    utilisation:
      p.utilisation !== undefined
        ? Math.round(p.utilisation * 1000) / 10
        : undefined,
    memory:
      p.memoryMiB !== undefined
        ? Math.round((p.memoryMiB / 1024) * 10) / 10
        : undefined,
  }));
  return (
    <div
      aria-label="GPU utilisation chart"
      style={{ width: '100%', height: 260 }}
    >
      <ResponsiveContainer>
        <LineChart
          data={data}
          margin={{ top: 8, right: 24, left: 0, bottom: 8 }}
        >
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis
            dataKey="t"
            tickFormatter={time}
            type="number"
            domain={['dataMin', 'dataMax']}
          />
          <YAxis yAxisId="u" domain={[0, 100]} unit="%" />
          <YAxis yAxisId="m" orientation="right" unit=" GiB" />
          <Tooltip labelFormatter={l => time(Number(l))} />
          <Legend />
          <Line
            yAxisId="u"
            dataKey="utilisation"
            name="GPU utilisation (%)"
            stroke="#1565c0"
            dot={false}
            isAnimationActive={false}
          />
          <Line
            yAxisId="m"
            dataKey="memory"
            name="GPU memory used (GiB)"
            stroke="#ef6c00"
            dot={false}
            isAnimationActive={false}
          />
        </LineChart>
      </ResponsiveContainer>
      <Typography variant="caption" color="textSecondary">
        From {m.utilisationMetric} (DCGM), averaged over the run's GPUs.
      </Typography>
    </div>
  );
}
