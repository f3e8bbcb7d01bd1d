import { parse } from 'yaml';
import { examples as applyExamples } from './apply.examples';
import { examples as publishExamples } from './publishLocal.examples';
import { examples as registerExamples } from './register.examples';
import { examples as renderExamples } from './renderManifests.examples';

describe('action examples', () => {
  it.each([
    ['telehealth:manifests:render', renderExamples],
    ['telehealth:apply', applyExamples],
    ['telehealth:publish:local', publishExamples],
    ['telehealth:catalog:register', registerExamples],
  ])('%s examples are template steps of that action', (id, examples) => {
    expect(examples.length).toBeGreaterThan(0);
    for (const e of examples) {
      expect(e.description).toBeTruthy();
      const doc = parse(e.example);
      expect(doc.steps).toHaveLength(1);
      expect(doc.steps[0]).toMatchObject({
        action: id,
        input: expect.any(Object),
      });
    }
  });
});
