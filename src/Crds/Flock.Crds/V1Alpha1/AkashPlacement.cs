using System.Text.Json.Serialization;
using Flock.Crds.Schema;

namespace Flock.Crds.V1Alpha1;

/// <summary>An Akash denomination.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<AkashDenom>))]
public enum AkashDenom
{
    /// <summary>Micro-ACT, the USD-pegged compute credit; the only denom Akash mainnet accepts for new deployments since node v2.0.0.</summary>
    [JsonStringEnumMemberName("uact")]
    Uact,

    /// <summary>Micro-AKT, for networks older than node v2.0.0.</summary>
    [JsonStringEnumMemberName("uakt")]
    Uakt,
}

/// <summary>An amount of an Akash denomination.</summary>
[CelRule("double(self.amount) > 0.0", "amount must be greater than zero", FieldPath = ".amount")]
public sealed record AkashCoin
{
    /// <summary>uact (mainnet since node v2.0.0) or uakt (older networks).</summary>
    [Default("\"uact\"")]
    public AkashDenom Denom { get; init; } = AkashDenom.Uact;

    /// <summary>Amount in the denom's smallest unit, as a decimal string (10000, 1.5).</summary>
    [Required, Pattern(Patterns.DecimalAmount), Length(1, 49)]
    public string Amount { get; init; } = "";
}

/// <summary>Providers the operator may or must not lease from.</summary>
public sealed record ProviderRules
{
    /// <summary>Only these provider addresses may win the lease. Empty allows every provider.</summary>
    [Length(0, 64), ListType("set"), Items(Patterns.AkashAddress, 65)]
    public IReadOnlyList<string>? Allow { get; init; }

    /// <summary>These provider addresses never win the lease.</summary>
    [Length(0, 256), ListType("set"), Items(Patterns.AkashAddress, 65)]
    public IReadOnlyList<string>? Deny { get; init; }
}

/// <summary>Auditors whose signed attributes a provider must carry (SDL signedBy).</summary>
public sealed record SignedBy
{
    /// <summary>Every one of these auditors must have signed the provider's attributes.</summary>
    [Length(0, 16), ListType("set"), Items(Patterns.AkashAddress, 65)]
    public IReadOnlyList<string>? AllOf { get; init; }

    /// <summary>At least one of these auditors must have signed the provider's attributes.</summary>
    [Length(0, 16), ListType("set"), Items(Patterns.AkashAddress, 65)]
    public IReadOnlyList<string>? AnyOf { get; init; }
}

/// <summary>When the operator tops up the deployment's escrow, and how far it may go.</summary>
[CelRule("!has(self.topUpBelow) || !has(self.refillTo) || self.refillTo > self.topUpBelow",
    "refillTo must be greater than topUpBelow (a top-up at the threshold would deposit nothing)", FieldPath = ".refillTo")]
public sealed record EscrowPolicy
{
    /// <summary>Top up when the escrow would run dry within this many blocks (about 6 seconds each) at the lease price; refills to twice this unless refillTo is set. Unset: the operator's default (24 hours, as Akash Console).</summary>
    [Range(1, 10_000_000)]
    public long? TopUpBelow { get; init; }

    /// <summary>Blocks of runway a top-up refills the escrow to, counting what it holds. Unset: twice topUpBelow, or the operator's default (48 hours, as Akash Console) when topUpBelow is unset too.</summary>
    [Range(2, 20_000_000)]
    public long? RefillTo { get; init; }

    /// <summary>Most this resource may cost: paid to providers plus held in escrow, over all its deployments. Top-ups stop at this cap, and no new deployment is funded past it.</summary>
    public AkashCoin? MaxSpend { get; init; }
}

/// <summary>How the operator may fund the account.</summary>
public sealed record FundingPolicy
{
    /// <summary>Allow converting AKT to ACT (MsgMintACT) when the ACT balance cannot cover a deposit.</summary>
    [Default("false")]
    public bool MintAct { get; init; }
}

/// <summary>Akash account, price cap and provider rules for running the worker on Akash.</summary>
[CelRule("!has(self.deposit) || self.deposit.denom == self.maxPrice.denom",
    "deposit.denom must equal maxPrice.denom (the chain rejects a deposit in another denom)", FieldPath = ".deposit.denom")]
[CelRule("!has(self.escrow) || !has(self.escrow.maxSpend) || self.escrow.maxSpend.denom == self.maxPrice.denom",
    "escrow.maxSpend.denom must equal maxPrice.denom", FieldPath = ".escrow.maxSpend.denom")]
public sealed record AkashPlacement
{
    /// <summary>Secret key holding the BIP39 mnemonic of the paying Akash account. The key stays in the operator's memory only.</summary>
    [Required]
    public SecretKeySelector AccountSecretRef { get; init; } = new();

    /// <summary>Highest price per block the operator accepts in a bid.</summary>
    [Required]
    public AkashCoin MaxPrice { get; init; } = new();

    /// <summary>Initial escrow deposit of the deployment; defaults to the operator's setting (at least the chain's minimum, 0.5 ACT).</summary>
    public AkashCoin? Deposit { get; init; }

    /// <summary>Providers allowed or denied.</summary>
    public ProviderRules? Providers { get; init; }

    /// <summary>Auditors that must have signed the provider's attributes.</summary>
    public SignedBy? SignedBy { get; init; }

    /// <summary>Provider attributes the lease requires (region, tier, …), as the SDL's placement attributes.</summary>
    [Length(0, 32), Items("^.{1,256}$", 256)]
    public IReadOnlyDictionary<string, string>? Attributes { get; init; }

    /// <summary>Escrow top-up rule and spending cap.</summary>
    public EscrowPolicy? Escrow { get; init; }

    /// <summary>Funding rules for the paying account.</summary>
    public FundingPolicy? Funding { get; init; }

    /// <summary>Blocks to collect bids before choosing the cheapest eligible one; defaults to the operator's setting.</summary>
    [Range(1, 600)]
    public int? BidWindow { get; init; }
}
