import {
  Button,
  Checkbox,
  Dialog,
  DialogActions,
  DialogContent,
  DialogContentText,
  DialogTitle,
  FormControlLabel,
  MenuItem,
  TextField,
} from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import type {
  ClusterGate,
  ClusterRollout,
  RolloutAction,
  RolloutKind,
} from '@careplane/plugin-rollouts-common';
import { isGatedAction } from '@careplane/plugin-rollouts-common';
import { describeError } from '@careplane/plugin-clusters-react';
import { useState } from 'react';
import { ACTION_EFFECTS, ACTION_LABELS } from '../shared/actionWords';

const SEVERITY = {
  block: 'error',
  pass: 'success',
  'not-evaluated': 'warning',
} as const;

/** What a dialog acts on. */
export interface DialogTarget {
  cluster: string;
  kind: RolloutKind;
  namespace: string;
  name: string;
  action: RolloutAction;
  revision?: number;
}

/**
 * Confirm dialog with a required reason. Its state lives here, so a live update of the release
 * underneath never closes or resets it; only Cancel or a successful action closes it.
 */
export function ActionDialog(props: {
  target: DialogTarget;
  rollout?: ClusterRollout;
  gate?: ClusterGate;
  canOverride: boolean;
  onCancel(): void;
  onConfirm(
    reason: string,
    overrideGate: boolean,
    revision?: number,
  ): Promise<void>;
}) {
  const { target, rollout, gate } = props;
  const [reason, setReason] = useState('');
  const [override, setOverride] = useState(false);
  const [revision, setRevision] = useState(target.revision);
  const earlier = (rollout?.history ?? []).filter(h => !h.current);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const label = ACTION_LABELS[target.action];
  const gated = isGatedAction(target.action);
  const blocked = gated && gate?.decision === 'block';
  const submit = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await props.onConfirm(reason.trim(), override, revision);
    } catch (e) {
      setError(describeError(e));
      setBusy(false);
    }
  };
  return (
    <Dialog
      open
      onClose={busy ? undefined : props.onCancel}
      aria-labelledby="rollout-action-title"
      fullWidth
    >
      <DialogTitle id="rollout-action-title">
        {label} {target.kind} {target.name} on {target.cluster}
        {target.revision !== undefined ? ` to revision ${target.revision}` : ''}
        ?
      </DialogTitle>
      <DialogContent>
        <DialogContentText>
          This {ACTION_EFFECTS[target.action]}. It is sent with your credentials
          and recorded in the audit log with your reason.
        </DialogContentText>
        {rollout && (
          <DialogContentText>Now: {rollout.message}</DialogContentText>
        )}
        {gated && gate && (
          <Alert severity={SEVERITY[gate.decision]}>
            Error-budget gate: {gate.reason}
          </Alert>
        )}
        {gated && !gate && (
          <Alert severity="warning">no metrics: gate not evaluated</Alert>
        )}
        {target.action === 'undo' && earlier.length > 0 && (
          <TextField
            select
            label="Revision"
            margin="normal"
            value={revision ?? ''}
            onChange={e => setRevision(Number(e.target.value))}
            helperText="The images of this revision are restored"
          >
            {earlier.map(h => (
              <MenuItem key={h.revision} value={h.revision}>
                {h.revision}: {h.images.map(i => i.split('=')[1]).join(', ')}
              </MenuItem>
            ))}
          </TextField>
        )}
        <TextField
          label="Reason"
          required
          fullWidth
          multiline
          margin="normal"
          value={reason}
          onChange={e => setReason(e.target.value)}
          helperText="Why: recorded in the audit log (at least 3 characters)"
          inputProps={{ 'aria-label': 'Reason' }}
        />
        {blocked && (
          <FormControlLabel
            control={
              <Checkbox
                checked={override}
                disabled={!props.canOverride}
                onChange={e => setOverride(e.target.checked)}
              />
            }
            label={
              props.canOverride
                ? 'Override the error-budget gate (recorded as an override)'
                : 'Only owners of this entity may override the error-budget gate'
            }
          />
        )}
        {error && <Alert severity="error">{error}</Alert>}
      </DialogContent>
      <DialogActions>
        <Button onClick={props.onCancel} disabled={busy}>
          Cancel
        </Button>
        <Button
          color="primary"
          variant="contained"
          onClick={submit}
          disabled={busy || reason.trim().length < 3 || (blocked && !override)}
        >
          {busy ? 'Sending…' : label}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
