namespace Flock.Sandbox.AkashProvider;

/// <summary>
/// Misbehaviour a test switches on for one provider. Being down (connection refused) is
/// <see cref="SimulatedProvider.SetDownAsync"/> because it stops the listener; closing a lease is
/// <see cref="SimulatedProvider.CloseLeaseAsync"/> because it is a transaction.
/// </summary>
public sealed class ProviderFaults
{
    private long _startDelayTicks;

    /// <summary>The bid engine sees orders but never bids.</summary>
    public bool NeverBid { get; set; }

    /// <summary>
    /// The gateway takes every connection and never answers (a wedged provider: its status handler waits on a cluster
    /// service that does not reply, or a host_uri behind a black hole); the bid engine keeps bidding. Unlike
    /// <see cref="SimulatedProvider.SetDownAsync"/>, a client sees no refusal, only its own timeout.
    /// </summary>
    public bool Unresponsive { get; set; }

    /// <summary>Every manifest is refused with 422 "manifest rejected" (after authentication).</summary>
    public bool RejectManifests { get; set; }

    /// <summary>Lease status answers 200 with a body that is not a lease status.</summary>
    public bool MalformedStatus { get; set; }

    /// <summary>Lease status answers with exactly this status code and body (a broken or hostile provider); null serves the real status.</summary>
    public (int StatusCode, string Body)? StatusAnswer { get; set; }

    /// <summary>The TLS listener presents a certificate that is not on chain (an impostor at the provider's address).</summary>
    public bool PresentUnpublishedCertificate { get; set; }

    /// <summary>Overrides the options' start delay for manifests accepted from now on; null keeps the option.</summary>
    public TimeSpan? StartDelay
    {
        get
        {
            var ticks = Interlocked.Read(ref _startDelayTicks);
            return ticks < 0 ? null : TimeSpan.FromTicks(ticks);
        }
        set => Interlocked.Exchange(ref _startDelayTicks, value?.Ticks ?? -1);
    }

    /// <summary>
    /// Runs inside the manifest PUT, so a crash test can kill the tenant at an exact point: when the request arrived
    /// (false drops it: the connection is aborted and nothing is applied, as when the sender died mid-request), or
    /// when the provider has applied the manifest but not answered yet. Not cleared by <see cref="Clear"/>.
    /// </summary>
    public Func<ManifestArrival, Task<bool>>? ManifestHook { get; set; }

    public ProviderFaults() => _startDelayTicks = -1;

    /// <summary>Back to a well-behaved provider (does not bring a down provider up).</summary>
    public void Clear()
    {
        NeverBid = false;
        Unresponsive = false;
        RejectManifests = false;
        MalformedStatus = false;
        StatusAnswer = null;
        PresentUnpublishedCertificate = false;
        StartDelay = null;
    }
}

/// <summary>What a provider did, for tests to observe (all counters only grow).</summary>
public sealed class ProviderCounters
{
    private long _bidsSent;
    private long _bidsFailed;
    private long _bidsClosed;
    private long _leasesWon;
    private long _leasesClosedByProvider;
    private long _manifestRequests;
    private long _manifestsAccepted;
    private long _ordersDeclined;

    /// <summary>MsgCreateBid transactions included with code 0.</summary>
    public long BidsSent => Interlocked.Read(ref _bidsSent);

    /// <summary>MsgCreateBid transactions the chain refused.</summary>
    public long BidsFailed => Interlocked.Read(ref _bidsFailed);

    /// <summary>Own open bids closed after the bid timeout.</summary>
    public long BidsClosed => Interlocked.Read(ref _bidsClosed);

    public long LeasesWon => Interlocked.Read(ref _leasesWon);

    /// <summary>Active leases this provider closed (manifest timeout or <see cref="SimulatedProvider.CloseLeaseAsync"/>).</summary>
    public long LeasesClosedByProvider => Interlocked.Read(ref _leasesClosedByProvider);

    /// <summary>PUT manifest requests that passed authentication.</summary>
    public long ManifestRequests => Interlocked.Read(ref _manifestRequests);

    /// <summary>Manifests accepted (200).</summary>
    public long ManifestsAccepted => Interlocked.Read(ref _manifestsAccepted);

    /// <summary>Open orders the engine decided not to bid on (mismatch, no capacity, price, NeverBid).</summary>
    public long OrdersDeclined => Interlocked.Read(ref _ordersDeclined);

    internal void BidSent() => Interlocked.Increment(ref _bidsSent);

    internal void BidFailed() => Interlocked.Increment(ref _bidsFailed);

    internal void BidClosed() => Interlocked.Increment(ref _bidsClosed);

    internal void LeaseWon() => Interlocked.Increment(ref _leasesWon);

    internal void LeaseClosedByProvider() => Interlocked.Increment(ref _leasesClosedByProvider);

    internal void ManifestRequest() => Interlocked.Increment(ref _manifestRequests);

    internal void ManifestAccepted() => Interlocked.Increment(ref _manifestsAccepted);

    internal void OrderDeclined() => Interlocked.Increment(ref _ordersDeclined);
}
