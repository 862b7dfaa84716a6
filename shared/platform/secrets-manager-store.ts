import {
  CreateSecretCommand,
  DeleteSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import type { SecretStore } from './ports';

const TTL_MS = 60_000;

/** Secrets Manager with a short in-Lambda cache: provider keys are read on every step. */
export class SecretsManagerStore implements SecretStore {
  private readonly client: SecretsManagerClient;
  private readonly cache = new Map<string, { value: string | undefined; until: number }>();

  constructor(region: string, client?: SecretsManagerClient) {
    this.client = client ?? new SecretsManagerClient({ region });
  }

  async get(id: string): Promise<string | undefined> {
    const hit = this.cache.get(id);
    if (hit && hit.until > Date.now()) return hit.value;
    let value: string | undefined;
    try {
      value = (await this.client.send(new GetSecretValueCommand({ SecretId: id }))).SecretString;
    } catch (e) {
      if (!(e instanceof ResourceNotFoundException)) throw e;
    }
    this.cache.set(id, { value, until: Date.now() + TTL_MS });
    return value;
  }

  async put(id: string, value: string): Promise<void> {
    try {
      await this.client.send(new PutSecretValueCommand({ SecretId: id, SecretString: value }));
    } catch (e) {
      if (!(e instanceof ResourceNotFoundException)) throw e;
      await this.client.send(new CreateSecretCommand({ Name: id, SecretString: value }));
    }
    this.cache.set(id, { value, until: Date.now() + TTL_MS });
  }

  async delete(id: string): Promise<void> {
    try {
      await this.client.send(
        new DeleteSecretCommand({ SecretId: id, ForceDeleteWithoutRecovery: true }),
      );
    } catch (e) {
      if (!(e instanceof ResourceNotFoundException)) throw e;
    }
    this.cache.delete(id);
  }
}
