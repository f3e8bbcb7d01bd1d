import { InfoCard, Link } from '@backstage/core-components';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import {
  Box,
  LinearProgress,
  List,
  ListItem,
  ListItemText,
  Typography,
} from '@material-ui/core';
import { SEVERITIES } from '@careplane/plugin-compliance-common';
import { ago, GradeBadge, StatusChip, targetWords } from '../shared/words';
import { useChecks, useScorecard } from '../shared/useCompliance';

/** The overview card: grade, score and the top failing checks. */
export function ComplianceCard() {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const { card, error } = useScorecard(entityRef);
  const checks = useChecks();
  const failing = (card?.results ?? [])
    .filter(r => r.status === 'fail')
    .sort(
      (a, b) => SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity),
    );
  const top = [...new Map(failing.map(r => [r.checkId, r])).values()].slice(
    0,
    3,
  );
  return (
    <InfoCard
      title="HIPAA compliance"
      deepLink={{ title: 'Every check', link: 'compliance' }}
    >
      {error && (
        <Typography color="error">
          Could not load the scorecard: {error.message}
        </Typography>
      )}
      {!card && !error && <LinearProgress aria-label="Loading the scorecard" />}
      {card && (
        <>
          <Box display="flex" alignItems="center" gridGap={16}>
            <GradeBadge
              grade={card.score.grade}
              score={card.score.score}
              capped={card.score.capped}
            />
            <Box>
              <Typography variant="h6">
                {card.score.score === null
                  ? 'Not evaluated yet'
                  : `Score ${card.score.score} / 100`}
              </Typography>
              <Typography variant="body2">
                {card.score.counts.fail} failing, {card.score.counts.unknown}{' '}
                unknown, {card.score.counts.exempt} exempt · coverage{' '}
                {Math.round(card.score.coverage * 100)} %
              </Typography>
              {card.score.capped && (
                <Typography variant="body2">
                  Grade capped at D: a critical check fails
                </Typography>
              )}
              <Typography variant="caption">
                Evaluated {ago(card.evaluatedAt)}
              </Typography>
            </Box>
          </Box>
          <Typography variant="subtitle2" style={{ marginTop: 12 }}>
            {top.length ? 'Top failing checks' : 'No failing checks'}
          </Typography>
          <List dense aria-label="Top failing checks">
            {top.map(r => (
              <ListItem key={r.checkId}>
                <ListItemText
                  primary={
                    <>
                      <StatusChip status={r.status} /> {r.checkId}{' '}
                      {checks.get(r.checkId)?.title ?? ''} ({r.severity})
                    </>
                  }
                  secondary={`${r.message} — ${targetWords(r.target)}`}
                />
              </ListItem>
            ))}
          </List>
          <Link to="compliance">Open the compliance tab</Link>
        </>
      )}
    </InfoCard>
  );
}
