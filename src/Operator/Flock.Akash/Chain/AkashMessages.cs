using System.Globalization;
using Flock.Akash.Protos.BaseDepositV1;
using Flock.Akash.Protos.BmeV1;
using Flock.Akash.Protos.CosmosBaseV1Beta1;
using Flock.Akash.Protos.DeploymentV1;
using Flock.Akash.Protos.DeploymentV1Beta4;
using Flock.Akash.Protos.EscrowIdV1;
using Flock.Akash.Protos.EscrowV1;
using Flock.Akash.Protos.MarketV1;
using Flock.Akash.Protos.MarketV1Beta5;
using Google.Protobuf;

namespace Flock.Akash.Chain;

/// <summary>
/// The operator's Akash messages with the rules the chain checks before a block does (so a mistake is an
/// exception here, not a failed transaction that still costs gas).
/// </summary>
public static class AkashMessages
{
    /// <summary>
    /// MsgCreateDeployment. The deposit denom must equal every group's price denom (ValidateBasic), the hash
    /// must be 32 bytes, and on mainnet since v2.0.0 the denom must be uact.
    /// </summary>
    public static MsgCreateDeployment CreateDeployment(string owner, ulong dseq, IEnumerable<GroupSpec> groups, byte[] manifestVersion, Coin deposit, Source source = Source.Balance)
    {
        ArgumentException.ThrowIfNullOrEmpty(owner);
        ArgumentNullException.ThrowIfNull(groups);
        ArgumentNullException.ThrowIfNull(manifestVersion);
        ArgumentNullException.ThrowIfNull(deposit);
        if (manifestVersion.Length != 32)
        {
            throw new ArgumentException("The manifest version hash must be 32 bytes.", nameof(manifestVersion));
        }

        var msg = new MsgCreateDeployment
        {
            Id = new DeploymentID { Owner = owner, Dseq = dseq },
            Hash = ByteString.CopyFrom(manifestVersion),
            Deposit = Deposit(deposit, source),
        };
        msg.Groups.AddRange(groups.Select(g => g.Clone()));
        if (msg.Groups.Count == 0)
        {
            throw new ArgumentException("A deployment needs at least one group.", nameof(groups));
        }

        var mismatch = msg.Groups.SelectMany(g => g.Resources).Select(r => r.Price.Denom).FirstOrDefault(d => d != deposit.Denom);
        if (mismatch is not null)
        {
            throw new ArgumentException($"Deposit denom {deposit.Denom} differs from price denom {mismatch}; the chain rejects that.", nameof(deposit));
        }

        return msg;
    }

    /// <summary>MsgUpdateDeployment: a new manifest version for the same groups.</summary>
    public static MsgUpdateDeployment UpdateDeployment(string owner, ulong dseq, byte[] manifestVersion)
    {
        ArgumentNullException.ThrowIfNull(manifestVersion);
        if (manifestVersion.Length != 32)
        {
            throw new ArgumentException("The manifest version hash must be 32 bytes.", nameof(manifestVersion));
        }

        return new MsgUpdateDeployment { Id = new DeploymentID { Owner = owner, Dseq = dseq }, Hash = ByteString.CopyFrom(manifestVersion) };
    }

    /// <summary>MsgCloseDeployment: closes groups, orders, bids, leases and refunds the escrow.</summary>
    public static MsgCloseDeployment CloseDeployment(string owner, ulong dseq) =>
        new() { Id = new DeploymentID { Owner = owner, Dseq = dseq } };

    /// <summary>MsgAccountDeposit topping up a deployment's escrow (the account xid is "owner/dseq").</summary>
    public static MsgAccountDeposit DepositToDeployment(string signer, string owner, ulong dseq, Coin amount, Source source = Source.Balance) => new()
    {
        Signer = signer,
        Id = new Account { Scope = Scope.Deployment, Xid = $"{owner}/{dseq.ToString(CultureInfo.InvariantCulture)}" },
        Deposit = Deposit(amount, source),
    };

    /// <summary>MsgCreateLease accepting a bid.</summary>
    public static MsgCreateLease CreateLease(BidID bid) => new() { BidId = bid.Clone() };

    /// <summary>MsgCloseLease as the owner (reason lease_closed_owner).</summary>
    public static MsgCloseLease CloseLease(LeaseID lease) => new() { Id = lease.Clone(), Reason = LeaseClosedReason.LeaseClosedOwner };

    /// <summary>MsgMintACT converting AKT to ACT for the signer (to must equal owner when minting ACT).</summary>
    public static MsgMintACT MintAct(string owner, Coin uaktToBurn)
    {
        ArgumentNullException.ThrowIfNull(uaktToBurn);
        if (uaktToBurn.Denom != AkashNetwork.Uakt)
        {
            throw new ArgumentException("MintACT burns uakt.", nameof(uaktToBurn));
        }

        return new MsgMintACT { Owner = owner, To = owner, CoinsToBurn = uaktToBurn.Clone() };
    }

    /// <summary>The lease id a bid becomes.</summary>
    public static LeaseID LeaseOf(BidID bid) => new()
    {
        Owner = bid.Owner, Dseq = bid.Dseq, Gseq = bid.Gseq, Oseq = bid.Oseq, Provider = bid.Provider, Bseq = bid.Bseq,
    };

    /// <summary>A coin of an integer amount.</summary>
    public static Coin Coin(ulong amount, string denom) => new() { Denom = denom, Amount = amount.ToString(CultureInfo.InvariantCulture) };

    private static Protos.BaseDepositV1.Deposit Deposit(Coin amount, Source source) =>
        new() { Amount = amount.Clone(), Sources = { source } };
}
