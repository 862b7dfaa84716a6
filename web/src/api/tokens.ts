/** Where the session lives: the access token in memory only, the refresh token in localStorage. */
export const REFRESH_KEY = 'hishamos.refreshToken';

export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export class TokenStore {
  private access: string | null = null;
  private accessExpiresAt = 0;

  constructor(
    private readonly storage: KeyValueStore,
    private readonly now: () => number = Date.now,
  ) {}

  get accessToken(): string | null {
    return this.access;
  }

  /** True when the access token is missing or about to expire (30 s margin). */
  get accessStale(): boolean {
    return this.access === null || this.now() > this.accessExpiresAt - 30_000;
  }

  get refreshToken(): string | null {
    try {
      return this.storage.getItem(REFRESH_KEY);
    } catch {
      return null;
    }
  }

  set(accessToken: string, refreshToken: string, expiresInSeconds: number): void {
    this.access = accessToken;
    this.accessExpiresAt = this.now() + expiresInSeconds * 1000;
    try {
      this.storage.setItem(REFRESH_KEY, refreshToken);
    } catch {
      // Private mode without storage: the session lasts as long as the tab.
    }
  }

  clear(): void {
    this.access = null;
    this.accessExpiresAt = 0;
    try {
      this.storage.removeItem(REFRESH_KEY);
    } catch {
      // nothing stored
    }
  }
}
