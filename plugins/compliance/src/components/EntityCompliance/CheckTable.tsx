import {
  Box,
  Button,
  Collapse,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@material-ui/core';
import type {
  CheckDefinition,
  EntityHistory,
  ResultDto,
  ResultStatus,
} from '@careplane/plugin-compliance-common';
import { Fragment, useState } from 'react';
import { StatusChip, STATUS_WORDS, targetWords } from '../shared/words';

const ORDER: ResultStatus[] = [
  'fail',
  'error',
  'warn',
  'unknown',
  'exempt',
  'pass',
  'not-applicable',
];
const worst = (rs: ResultDto[]) =>
  ORDER.find(s => rs.some(r => r.status === s)) ?? 'not-applicable';

/** Every check of the entity: status in words, then per object the evidence, remediation and history. */
export function CheckTable(props: {
  results: ResultDto[];
  checks: Map<string, CheckDefinition>;
  history?: EntityHistory;
  onRequestExemption?(checkId: string): void;
  requestDisabledReason?: string;
}) {
  const [open, setOpen] = useState<string>();
  const byCheck = new Map<string, ResultDto[]>();
  props.results.forEach(r =>
    byCheck.set(r.checkId, [...(byCheck.get(r.checkId) ?? []), r]),
  );
  const rows = [...byCheck].sort(
    ([, a], [, b]) => ORDER.indexOf(worst(a)) - ORDER.indexOf(worst(b)),
  );
  return (
    <Table size="small" aria-label="Checks">
      <TableHead>
        <TableRow>
          <TableCell>Check</TableCell>
          <TableCell>Severity</TableCell>
          <TableCell>HIPAA</TableCell>
          <TableCell>Status</TableCell>
          <TableCell>Objects</TableCell>
          <TableCell />
        </TableRow>
      </TableHead>
      <TableBody>
        {rows.map(([checkId, rs]) => {
          const def = props.checks.get(checkId);
          const status = worst(rs);
          const isOpen = open === checkId;
          const changes =
            props.history?.changes.filter(c => c.checkId === checkId) ?? [];
          return (
            <Fragment key={checkId}>
              <TableRow hover aria-label={`${checkId} ${STATUS_WORDS[status]}`}>
                <TableCell>
                  <strong>{checkId}</strong> {def?.title}
                </TableCell>
                <TableCell>{rs[0].severity}</TableCell>
                <TableCell>{def?.hipaa.join(', ')}</TableCell>
                <TableCell>
                  <StatusChip status={status} />
                </TableCell>
                <TableCell>
                  {rs.filter(r => r.status === 'pass').length} of {rs.length}{' '}
                  passing
                </TableCell>
                <TableCell>
                  <Button
                    size="small"
                    onClick={() => setOpen(isOpen ? undefined : checkId)}
                    aria-expanded={isOpen}
                    aria-label={`Details of ${checkId}`}
                  >
                    {isOpen ? 'Hide' : 'Details'}
                  </Button>
                </TableCell>
              </TableRow>
              <TableRow>
                <TableCell
                  colSpan={6}
                  style={{
                    paddingTop: 0,
                    paddingBottom: 0,
                    borderBottom: isOpen ? undefined : 'none',
                  }}
                >
                  <Collapse in={isOpen} unmountOnExit>
                    <Box
                      margin={1}
                      role="region"
                      aria-label={`${checkId} details`}
                    >
                      {def && (
                        <Typography variant="body2">{def.rationale}</Typography>
                      )}
                      {rs.map(r => (
                        <Box key={r.target} marginTop={1}>
                          <Typography variant="subtitle2">
                            {targetWords(r.target)}: {STATUS_WORDS[r.status]} —{' '}
                            {r.message} (since{' '}
                            {r.since.slice(0, 16).replace('T', ' ')})
                          </Typography>
                          {r.evidence.length > 0 && (
                            <Table
                              size="small"
                              aria-label={`Evidence of ${checkId} on ${targetWords(
                                r.target,
                              )}`}
                            >
                              <TableBody>
                                {r.evidence.map((e, i) => (
                                  <TableRow key={i}>
                                    <TableCell>{e.object}</TableCell>
                                    <TableCell>
                                      <code>{e.path}</code>
                                    </TableCell>
                                    <TableCell>
                                      <code>{e.value}</code>
                                    </TableCell>
                                  </TableRow>
                                ))}
                              </TableBody>
                            </Table>
                          )}
                        </Box>
                      ))}
                      {def && (
                        <Box marginTop={1}>
                          <Typography variant="subtitle2">
                            How to fix
                          </Typography>
                          <Typography variant="body2">
                            {def.remediation.text}
                          </Typography>
                          {def.remediation.yaml && (
                            <pre aria-label={`Remediation YAML for ${checkId}`}>
                              {def.remediation.yaml}
                            </pre>
                          )}
                          <Typography variant="caption">
                            Same check elsewhere:{' '}
                            {Object.entries(def.anchors)
                              .filter(([, v]) => v)
                              .map(([k, v]) => `${k} ${v}`)
                              .join(' · ') || 'none'}
                          </Typography>
                        </Box>
                      )}
                      <Typography variant="subtitle2" style={{ marginTop: 8 }}>
                        History
                      </Typography>
                      {changes.length === 0 && (
                        <Typography variant="body2">
                          No change recorded.
                        </Typography>
                      )}
                      {changes.slice(0, 10).map((c, i) => (
                        <Typography variant="body2" key={i}>
                          {c.changedAt.slice(0, 16).replace('T', ' ')}:{' '}
                          {c.previousStatus
                            ? `${STATUS_WORDS[c.previousStatus]} → `
                            : ''}
                          {STATUS_WORDS[c.status]} on {targetWords(c.target)}
                        </Typography>
                      ))}
                      {props.onRequestExemption &&
                        rs.some(
                          r => r.status === 'fail' || r.status === 'warn',
                        ) && (
                          <span title={props.requestDisabledReason ?? ''}>
                            <Button
                              size="small"
                              variant="outlined"
                              disabled={Boolean(props.requestDisabledReason)}
                              onClick={() => props.onRequestExemption!(checkId)}
                            >
                              Request an exemption for {checkId}
                            </Button>
                          </span>
                        )}
                    </Box>
                  </Collapse>
                </TableCell>
              </TableRow>
            </Fragment>
          );
        })}
      </TableBody>
    </Table>
  );
}
