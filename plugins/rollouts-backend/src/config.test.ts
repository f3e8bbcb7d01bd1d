import { ConfigReader } from '@backstage/config';
import { readRolloutsConfig } from './config';

describe('readRolloutsConfig', () => {
  it('has defaults', () => {
    expect(readRolloutsConfig(new ConfigReader({}))).toEqual({
      requestsMetric: 'http_requests_total',
      serviceLabel: 'service',
      query: 'offset',
      ownersTtlMs: 60000,
    });
  });

  it('names the key that is wrong', () => {
    expect(() =>
      readRolloutsConfig(
        new ConfigReader({ rollouts: { gate: { serviceLabel: 'a-b' } } }),
      ),
    ).toThrow(
      "rollouts.gate.serviceLabel must be a Prometheus label name, got 'a-b'",
    );
    expect(() =>
      readRolloutsConfig(
        new ConfigReader({ rollouts: { gate: { requestsMetric: '1x' } } }),
      ),
    ).toThrow(/rollouts.gate.requestsMetric/);
    expect(() =>
      readRolloutsConfig(
        new ConfigReader({ rollouts: { waiting: { ownersTtlSeconds: -1 } } }),
      ),
    ).toThrow(/ownersTtlSeconds/);
  });
});
