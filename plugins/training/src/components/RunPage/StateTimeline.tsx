import { List, ListItem, ListItemIcon, ListItemText } from '@material-ui/core';
import FiberManualRecordIcon from '@material-ui/icons/FiberManualRecord';
import type { RunStateChange } from '@careplane/plugin-training-common';
import { formatDuration, formatTime } from '../shared/format';

/** Every state the run went through, with when and for how long. */
export function StateTimeline(props: {
  history: RunStateChange[];
  now: number;
}) {
  const { history } = props;
  return (
    <List dense aria-label="State timeline">
      {history.map((h, i) => {
        const next = history[i + 1];
        const lasted =
          (next ? Date.parse(next.at) : props.now) - Date.parse(h.at);
        return (
          <ListItem key={`${h.at}-${h.phase}-${i}`}>
            <ListItemIcon>
              <FiberManualRecordIcon
                fontSize="small"
                color={next ? 'disabled' : 'primary'}
              />
            </ListItemIcon>
            <ListItemText
              primary={h.message}
              secondary={`${formatTime(h.at)}${
                next || !['succeeded', 'failed', 'cancelled'].includes(h.phase)
                  ? ` · ${formatDuration(lasted)}`
                  : ''
              }`}
            />
          </ListItem>
        );
      })}
    </List>
  );
}
