import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/config.js';
import { TEST_DATA_KEY } from '../helpers/app.js';

const load = (env: Record<string, string>) => loadConfig({ DATA_DIR: '/tmp/eacm-config-ops', DATA_KEY: TEST_DATA_KEY, ...env });
const problems = (env: Record<string, string>) => {
  try {
    load(env);
    return [];
  } catch (error) {
    return (error as ConfigError).problems;
  }
};

describe('operations settings', () => {
  it('no replica, no metrics, no trusted proxy unless asked', () => {
    const config = load({});
    expect(config.replica).toBeNull();
    expect(config.metricsToken).toBeNull();
    expect(config.trustProxy).toBe(false);
  });

  it('reads a replica with its defaults: 60 s of allowed lag, metrics beside the app port', () => {
    const credentials = { LITESTREAM_ACCESS_KEY_ID: 'id', LITESTREAM_SECRET_ACCESS_KEY: 'secret' };
    expect(load({ PORT: '3001', REPLICA_URL: 's3://bucket/tokyo', REPLICA_ENDPOINT: 'https://s3.example.net', ...credentials }).replica).toEqual({
      url: 's3://bucket/tokyo',
      endpoint: 'https://s3.example.net',
      sftpKeyPath: null,
      maxLagSeconds: 60,
      metricsPort: 4001,
      receipts: {
        kind: 's3',
        bucket: 'bucket',
        prefix: 'tokyo/receipts/',
        endpoint: 'https://s3.example.net',
        region: 'us-east-1',
        accessKeyId: 'id',
        secretAccessKey: 'secret',
        sessionToken: null,
      },
    });
    expect(load({ PORT: '65000', REPLICA_URL: 'file:///srv/replica' }).replica?.metricsPort).toBe(64000);
    expect(
      load({
        REPLICA_URL: 'sftp://backup:pw@host.example/srv/r',
        REPLICA_SFTP_HOST_KEY: 'SHA256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
        REPLICA_MAX_LAG_S: '300',
      }).replica?.maxLagSeconds,
    ).toBe(300);
  });

  it('names every bad value in one go', () => {
    expect(problems({ REPLICA_URL: 'file://relative/path', METRICS_TOKEN: 'short', REPLICA_ENDPOINT: 'not a url', REPLICA_MAX_LAG_S: '0' })).toEqual([
      expect.stringContaining('REPLICA_URL must be file:///absolute/path'),
      expect.stringContaining('REPLICA_ENDPOINT must be a URL'),
      expect.stringContaining('REPLICA_MAX_LAG_S must be a whole number from 1'),
      expect.stringContaining('METRICS_TOKEN must be at least 16 characters'),
    ]);
  });

  it('takes a hop count or a list of proxy addresses', () => {
    expect(load({ TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(load({ TRUST_PROXY: '0' }).trustProxy).toBe(false);
    expect(load({ TRUST_PROXY: '127.0.0.1, 10.0.0.0/8,::1' }).trustProxy).toEqual(['127.0.0.1', '10.0.0.0/8', '::1']);
  });
});
