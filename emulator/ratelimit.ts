/** A token bucket per access token: `rate` requests per second, bursts of `rate`. Real (monotonic) time. */
export interface RateDecision {
  allowed: boolean;
  /** Whole seconds until a request would be allowed (at least 1), when refused. */
  retryAfter: number;
}

export class TokenBuckets {
  private buckets = new Map<string, { tokens: number; at: number }>();

  constructor(private rate: number) {}

  setRate(rate: number): void {
    this.rate = rate;
    this.buckets.clear();
  }

  take(key: string, nowMs = performance.now()): RateDecision {
    if (this.rate <= 0) return { allowed: true, retryAfter: 0 };
    const bucket = this.buckets.get(key) ?? { tokens: this.rate, at: nowMs };
    bucket.tokens = Math.min(this.rate, bucket.tokens + ((nowMs - bucket.at) / 1000) * this.rate);
    bucket.at = nowMs;
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true, retryAfter: 0 };
    }
    const wait = (1 - bucket.tokens) / this.rate;
    return { allowed: false, retryAfter: Math.max(1, Math.ceil(wait)) };
  }
}
