using System.Globalization;

namespace Flock.Sandbox.AkashChain.State;

/// <summary>Deployment key (owner/dseq) — also the escrow account xid of the deployment.</summary>
public readonly record struct DeploymentKey(string Owner, ulong Dseq)
{
    public override string ToString() => $"{Owner}/{Dseq.ToString(CultureInfo.InvariantCulture)}";
}

/// <summary>Group key (owner/dseq/gseq).</summary>
public readonly record struct GroupKey(string Owner, ulong Dseq, uint Gseq)
{
    public DeploymentKey Deployment => new(Owner, Dseq);
}

/// <summary>Order key (owner/dseq/gseq/oseq).</summary>
public readonly record struct OrderKey(string Owner, ulong Dseq, uint Gseq, uint Oseq)
{
    public GroupKey Group => new(Owner, Dseq, Gseq);
}

/// <summary>Bid and lease key (owner/dseq/gseq/oseq/provider/bseq).</summary>
public readonly record struct BidKey(string Owner, ulong Dseq, uint Gseq, uint Oseq, string Provider, uint Bseq)
{
    public OrderKey Order => new(Owner, Dseq, Gseq, Oseq);

    /// <summary>The bid's escrow account xid (BidID.String()).</summary>
    public override string ToString() => string.Join('/', Owner, Dseq.ToString(CultureInfo.InvariantCulture),
        Gseq.ToString(CultureInfo.InvariantCulture), Oseq.ToString(CultureInfo.InvariantCulture), Provider, Bseq.ToString(CultureInfo.InvariantCulture));

    /// <summary>The escrow payment xid of the lease: "gseq/oseq/provider" (chain-sdk market/v1/escrow.go).</summary>
    public string PaymentXid => string.Join('/', Gseq.ToString(CultureInfo.InvariantCulture), Oseq.ToString(CultureInfo.InvariantCulture), Provider);
}
