import { identityApiRef, useApi } from '@backstage/frontend-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  Button,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@material-ui/core';
import {
  complianceExemptionApprovePermission,
  ExemptionDto,
} from '@careplane/plugin-compliance-common';
import { useEffect, useState } from 'react';
import { complianceApiRef } from '../../api';
import { DecisionDialog } from './ExemptionDialogs';
import { targetWords } from './words';

const STATE_WORDS: Record<ExemptionDto['state'], string> = {
  pending: 'Waiting for approval',
  approved: 'Approved',
  rejected: 'Rejected',
  revoked: 'Revoked',
  expired: 'Expired',
};

/** Exemptions with their state in words; approvers can decide pending ones (never their own). */
export function ExemptionList(props: {
  exemptions: ExemptionDto[];
  onChange(): void;
  showEntity?: boolean;
}) {
  const api = useApi(complianceApiRef);
  const identity = useApi(identityApiRef);
  const [me, setMe] = useState<string>();
  const approve = usePermission({
    permission: complianceExemptionApprovePermission,
  });
  const [deciding, setDeciding] = useState<{
    e: ExemptionDto;
    decision: 'approve' | 'reject' | 'revoke';
  }>();
  useEffect(() => {
    identity.getBackstageIdentity().then(
      i => setMe(i.userEntityRef),
      () => {},
    );
  }, [identity]);
  if (props.exemptions.length === 0)
    return <Typography variant="body2">No exemptions.</Typography>;
  const why = (e: ExemptionDto) => {
    if (approve.loading) return 'Checking your permissions';
    if (!approve.allowed)
      return 'Deciding exemptions needs compliance.exemption.approve (platform admins)';
    if (e.requestedBy === me)
      return 'You requested it: someone else must decide (four-eyes rule)';
    return undefined;
  };
  return (
    <>
      <Table size="small" aria-label="Exemptions">
        <TableHead>
          <TableRow>
            {props.showEntity && <TableCell>Service</TableCell>}
            <TableCell>Check</TableCell>
            <TableCell>Scope</TableCell>
            <TableCell>Justification</TableCell>
            <TableCell>Requested by</TableCell>
            <TableCell>Expires</TableCell>
            <TableCell>State</TableCell>
            <TableCell>Decision</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {props.exemptions.map(e => {
            const reason = why(e);
            return (
              <TableRow key={e.id}>
                {props.showEntity && <TableCell>{e.entityRef}</TableCell>}
                <TableCell>{e.checkId}</TableCell>
                <TableCell>
                  {e.target === '*' ? 'every object' : targetWords(e.target)}
                </TableCell>
                <TableCell>{e.justification}</TableCell>
                <TableCell>{e.requestedBy}</TableCell>
                <TableCell>
                  {e.expiresAt.slice(0, 10)}
                  {e.expiringSoon ? ' (expiring soon)' : ''}
                </TableCell>
                <TableCell>
                  {STATE_WORDS[e.state]}
                  {e.decidedBy ? ` by ${e.decidedBy}` : ''}
                </TableCell>
                <TableCell>
                  {e.state === 'pending' && (
                    <span title={reason ?? ''}>
                      <Button
                        size="small"
                        disabled={Boolean(reason)}
                        onClick={() => setDeciding({ e, decision: 'approve' })}
                        aria-label={`Approve exemption of ${e.checkId}`}
                      >
                        Approve
                      </Button>
                      <Button
                        size="small"
                        disabled={Boolean(reason)}
                        onClick={() => setDeciding({ e, decision: 'reject' })}
                        aria-label={`Reject exemption of ${e.checkId}`}
                      >
                        Reject
                      </Button>
                    </span>
                  )}
                  {e.state === 'approved' && (
                    <span
                      title={
                        approve.allowed
                          ? ''
                          : 'Revoking needs compliance.exemption.approve'
                      }
                    >
                      <Button
                        size="small"
                        disabled={!approve.allowed}
                        onClick={() => setDeciding({ e, decision: 'revoke' })}
                      >
                        Revoke
                      </Button>
                    </span>
                  )}
                </TableCell>
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
      {deciding && (
        <DecisionDialog
          exemption={deciding.e}
          decision={deciding.decision}
          onCancel={() => setDeciding(undefined)}
          onSubmit={async comment => {
            await api.decideExemption(deciding.e.id, {
              decision: deciding.decision,
              comment,
            });
            setDeciding(undefined);
            props.onChange();
          }}
        />
      )}
    </>
  );
}
