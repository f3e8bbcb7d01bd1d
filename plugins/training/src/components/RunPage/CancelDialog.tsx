import {
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogContentText,
  DialogTitle,
  TextField,
} from '@material-ui/core';
import { useState } from 'react';

/** Confirms a cancel and asks why (recorded with the run and in the audit log). */
export function CancelDialog(props: {
  open: boolean;
  runName: string;
  onClose(): void;
  onConfirm(reason: string): Promise<void>;
}) {
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  return (
    <Dialog
      open={props.open}
      onClose={props.onClose}
      aria-labelledby="cancel-title"
    >
      <DialogTitle id="cancel-title">Cancel {props.runName}?</DialogTitle>
      <DialogContent>
        <DialogContentText>
          The run's pods are stopped and its GPUs freed. This cannot be undone;
          your name and reason are recorded.
        </DialogContentText>
        <TextField
          fullWidth
          label="Reason"
          value={reason}
          onChange={e => setReason(e.target.value)}
          inputProps={{ 'aria-label': 'Reason' }}
        />
      </DialogContent>
      <DialogActions>
        <Button onClick={props.onClose}>Keep running</Button>
        <Button
          color="secondary"
          variant="contained"
          disabled={!reason.trim() || busy}
          onClick={async () => {
            setBusy(true);
            try {
              await props.onConfirm(reason.trim());
            } finally {
              setBusy(false);
            }
          }}
        >
          Cancel run
        </Button>
      </DialogActions>
    </Dialog>
  );
}
