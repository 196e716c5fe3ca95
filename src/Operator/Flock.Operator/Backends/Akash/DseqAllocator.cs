namespace Flock.Operator.Backends.Akash;

/// <summary>
/// Hands out deployment sequences per paying account. The CLI's convention is dseq = latest height, but resources that
/// share an account and start in the same block would then share a deployment id (and the second would adopt the
/// first's deployment as its own). So a dseq is never handed out twice in this process, never one another resource
/// of the account records in its status, and (checked by the caller) never one that already has a deployment on chain.
/// </summary>
public sealed class DseqAllocator
{
    private readonly Dictionary<string, long> _last = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <param name="usedByOthers">dseqs other resources of this account hold in their status.</param>
    public long Next(string owner, long height, IReadOnlySet<long> usedByOthers)
    {
        lock (_gate)
        {
            var candidate = Math.Max(height, _last.GetValueOrDefault(owner) + 1);
            while (usedByOthers.Contains(candidate)) candidate++;
            _last[owner] = candidate;
            return candidate;
        }
    }
}
