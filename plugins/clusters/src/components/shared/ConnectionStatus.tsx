import { Typography } from '@material-ui/core';
import { StatusOK, StatusPending, StatusWarning } from '@backstage/core-components';
import type { StreamConnectionState } from '@careplane/plugin-clusters-react';

/** The tab's live-update connection, in words. */
export function ConnectionStatus(props: { state: StreamConnectionState }) {
  const { state } = props;
  let content;
  switch (state.status) {
    case 'live':
      content = <StatusOK>Live updates on</StatusOK>;
      break;
    case 'reconnecting':
      content = (
        <StatusWarning>
          Live updates interrupted
          {state.error ? ` (${state.error})` : ''}; retrying at{' '}
          {new Date(state.retryAt).toLocaleTimeString()}. Showing the last
          known state.
        </StatusWarning>
      );
      break;
    case 'connecting':
      content = <StatusPending>Connecting to live updates…</StatusPending>;
      break;
    default:
      content = <StatusPending>Live updates off</StatusPending>;
  }
  return (
    <Typography variant="body2" component="div" role="status">
      {content}
    </Typography>
  );
}
