import {
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogContentText,
  DialogTitle,
  MenuItem,
  TextField,
} from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import type {
  ExemptionDto,
  ResultDto,
} from '@careplane/plugin-compliance-common';
import { useState } from 'react';
import { targetWords } from './words';

/** Request an exemption: which check, which objects, why, until when (all required). */
export function RequestExemptionDialog(props: {
  entityRef: string;
  failing: ResultDto[];
  initialCheckId?: string;
  onCancel(): void;
  onSubmit(r: {
    checkId: string;
    target?: string;
    justification: string;
    expiresAt: string;
  }): Promise<void>;
}) {
  const checkIds = [...new Set(props.failing.map(r => r.checkId))];
  const [checkId, setCheckId] = useState(
    props.initialCheckId ?? checkIds[0] ?? '',
  );
  const [target, setTarget] = useState('*');
  const [justification, setJustification] = useState('');
  const [expires, setExpires] = useState(
    new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10),
  );
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const targets = props.failing
    .filter(r => r.checkId === checkId)
    .map(r => r.target);
  const missing = !justification.trim() ? 'Write a justification' : undefined;
  const submit = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await props.onSubmit({
        checkId,
        target: target === '*' ? undefined : target,
        justification: justification.trim(),
        expiresAt: new Date(`${expires}T00:00:00Z`).toISOString(),
      });
    } catch (e) {
      setError((e as Error).message);
      setBusy(false);
    }
  };
  return (
    <Dialog
      open
      onClose={busy ? undefined : props.onCancel}
      aria-labelledby="exemption-request-title"
      fullWidth
    >
      <DialogTitle id="exemption-request-title">
        Request an exemption for {props.entityRef}
      </DialogTitle>
      <DialogContent>
        <DialogContentText>
          A failing check shown as exempt until the expiry, once someone else
          with approval rights approves it. Requests and decisions are audited.
        </DialogContentText>
        <TextField
          id="exemption-check"
          select
          fullWidth
          margin="dense"
          label="Check"
          value={checkId}
          onChange={e => setCheckId(e.target.value)}
        >
          {checkIds.map(id => (
            <MenuItem key={id} value={id}>
              {id}
            </MenuItem>
          ))}
        </TextField>
        <TextField
          id="exemption-target"
          select
          fullWidth
          margin="dense"
          label="Objects"
          value={target}
          onChange={e => setTarget(e.target.value)}
        >
          <MenuItem value="*">Every object of the service</MenuItem>
          {targets.map(t => (
            <MenuItem key={t} value={t}>
              {targetWords(t)}
            </MenuItem>
          ))}
        </TextField>
        <TextField
          id="exemption-justification"
          fullWidth
          multiline
          minRows={3}
          margin="dense"
          label="Justification (required)"
          value={justification}
          onChange={e => setJustification(e.target.value)}
        />
        <TextField
          id="exemption-expires"
          fullWidth
          margin="dense"
          type="date"
          label="Expires on"
          InputLabelProps={{ shrink: true }}
          value={expires}
          onChange={e => setExpires(e.target.value)}
        />
        {error && <Alert severity="error">{error}</Alert>}
      </DialogContent>
      <DialogActions>
        <Button onClick={props.onCancel} disabled={busy}>
          Cancel
        </Button>
        <span title={missing ?? ''}>
          <Button
            color="primary"
            variant="contained"
            onClick={submit}
            disabled={busy || Boolean(missing) || !checkId}
          >
            Request exemption
          </Button>
        </span>
      </DialogActions>
    </Dialog>
  );
}

/** Approve or reject (or revoke) an exemption, with a comment. */
export function DecisionDialog(props: {
  exemption: ExemptionDto;
  decision: 'approve' | 'reject' | 'revoke';
  onCancel(): void;
  onSubmit(comment: string): Promise<void>;
}) {
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const e = props.exemption;
  const verb = { approve: 'Approve', reject: 'Reject', revoke: 'Revoke' }[
    props.decision
  ];
  const submit = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await props.onSubmit(comment.trim());
    } catch (err) {
      setError((err as Error).message);
      setBusy(false);
    }
  };
  return (
    <Dialog
      open
      onClose={busy ? undefined : props.onCancel}
      aria-labelledby="exemption-decision-title"
      fullWidth
    >
      <DialogTitle id="exemption-decision-title">
        {verb} the exemption of {e.checkId} for {e.entityRef}?
      </DialogTitle>
      <DialogContent>
        <DialogContentText>
          Requested by {e.requestedBy}: “{e.justification}”. Scope:{' '}
          {targetWords(e.target === '*' ? 'entity' : e.target)}. Expires{' '}
          {e.expiresAt.slice(0, 10)}.
        </DialogContentText>
        <TextField
          id="exemption-comment"
          fullWidth
          multiline
          minRows={2}
          margin="dense"
          label="Comment (required)"
          value={comment}
          onChange={ev => setComment(ev.target.value)}
        />
        {error && <Alert severity="error">{error}</Alert>}
      </DialogContent>
      <DialogActions>
        <Button onClick={props.onCancel} disabled={busy}>
          Cancel
        </Button>
        <span title={comment.trim().length < 3 ? 'Write a comment' : ''}>
          <Button
            color="primary"
            variant="contained"
            onClick={submit}
            disabled={busy || comment.trim().length < 3}
          >
            {verb}
          </Button>
        </span>
      </DialogActions>
    </Dialog>
  );
}
