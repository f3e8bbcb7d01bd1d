import { Link } from '@backstage/core-components';
import { parseEntityRef } from '@backstage/catalog-model';
import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
} from '@material-ui/core';
import {
  gradeOf,
  Overview,
  SAFEGUARDS,
} from '@careplane/plugin-compliance-common';

const COLOURS = {
  A: '#c8e6c9',
  B: '#dcedc8',
  C: '#fff9c4',
  D: '#ffe0b2',
  F: '#ffcdd2',
  'N/A': '#eeeeee',
} as const;

/** Services × safeguards: the score of the checks supporting each safeguard, as a number and a colour. */
export function Matrix(props: { overview: Overview }) {
  return (
    <Table size="small" aria-label="Services by safeguard">
      <TableHead>
        <TableRow>
          <TableCell>Service</TableCell>
          <TableCell>Grade</TableCell>
          {SAFEGUARDS.map(s => (
            <TableCell key={s.id} title={s.title}>
              {s.id} {s.title}
            </TableCell>
          ))}
        </TableRow>
      </TableHead>
      <TableBody>
        {props.overview.entities.map(e => {
          const { kind, namespace, name } = parseEntityRef(e.entityRef);
          return (
            <TableRow key={e.entityRef}>
              <TableCell>
                <Link
                  to={`/catalog/${namespace}/${kind.toLocaleLowerCase(
                    'en-US',
                  )}/${name}/compliance`}
                >
                  {e.title ?? name}
                </Link>
                {e.phi ? ' (PHI)' : ''}
              </TableCell>
              <TableCell>
                {e.score.grade} {e.score.score ?? ''}
              </TableCell>
              {SAFEGUARDS.map(s => {
                const v = e.safeguards[s.id] ?? null;
                return (
                  <TableCell
                    key={s.id}
                    style={{ background: COLOURS[gradeOf(v)] }}
                  >
                    {v === null ? 'no data' : `${v} (${gradeOf(v)})`}
                  </TableCell>
                );
              })}
            </TableRow>
          );
        })}
      </TableBody>
    </Table>
  );
}
