namespace Flock.Operator.Runtime.Polling;

/// <summary>One poll of one key: what was known before, and the backoff a failure now would earn.</summary>
/// <param name="BackoffIfFailed">The error backoff, already doubled for this failure; a target may wait longer (a Retry-After).</param>
public readonly record struct PollAttempt<TKey, TSnapshot>(TKey Key, TSnapshot Before, TimeSpan BackoffIfFailed);
