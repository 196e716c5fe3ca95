using System.Numerics;
using Flock.Akash.Chain;
using Flock.Akash.Protos.DeploymentV1;
using Flock.Akash.Protos.DeploymentV1Beta4;
using Flock.Sandbox.AkashChain.State;
using Flock.Sandbox.AkashChain.Tx;
using Scope = Flock.Akash.Protos.EscrowIdV1.Scope;

namespace Flock.Sandbox.AkashChain.Modules;

/// <summary>akash.deployment.v1beta4.Msg as node v2.x handles it (x/deployment/handler/server.go; ValidateBasic from chain-sdk msgs.go).</summary>
internal static class DeploymentHandler
{
    private const int HashLength = 32;

    public static void ValidateCreate(MsgCreateDeployment msg)
    {
        ValidateId(msg.Id);
        var deposit = Validation.DepositAmount(msg.Deposit, ChainErrors.InvalidDeploymentDeposit);
        if (msg.Groups.Count == 0)
        {
            throw ChainErrors.InvalidGroups.Fail();
        }

        if (msg.Hash.IsEmpty)
        {
            throw ChainErrors.EmptyHash.Fail();
        }

        if (msg.Hash.Length != HashLength)
        {
            throw ChainErrors.InvalidHash.Fail();
        }

        foreach (var group in msg.Groups)
        {
            ValidateGroupSpec(group);
            var priceDenom = group.Resources[0].Price.Denom;
            if (!deposit.IsZero && priceDenom != msg.Deposit.Amount.Denom)
            {
                throw ChainErrors.InvalidDeploymentDeposit.Fail($"Mismatched denominations ({msg.Deposit.Amount.Denom} != {priceDenom})");
            }
        }
    }

    public static void Create(MsgContext ctx, MsgCreateDeployment msg)
    {
        var state = ctx.State;
        var key = new DeploymentKey(msg.Id.Owner, msg.Id.Dseq);
        if (state.Deployments.ContainsKey(key))
        {
            throw ChainErrors.DeploymentExists.Fail();
        }

        // Params.ValidateDeposit: the denom must have a minimum and the amount must reach it.
        var amount = Validation.CoinAmount(msg.Deposit.Amount);
        var denom = msg.Deposit.Amount.Denom;
        if (denom is not (AkashNetwork.Uact or AkashNetwork.Uakt))
        {
            throw ChainErrors.InvalidDeploymentDeposit.FailAppend($"Invalid deposit denomination {denom}");
        }

        if (amount < ctx.Options.DeploymentMinDeposit)
        {
            throw ChainErrors.InvalidDeploymentDeposit.Fail($"Deposit too low - {amount} < {ctx.Options.DeploymentMinDeposit}{denom}");
        }

        // Since v2.0.0: AKT deposits only via AccountDeposit on an existing deployment; new prices must be uact.
        if (denom == AkashNetwork.Uakt)
        {
            throw ChainErrors.InvalidDeploymentDeposit.Fail();
        }

        if (new HashSet<string>(msg.Groups.Select(g => g.Name), StringComparer.Ordinal).Count != msg.Groups.Count)
        {
            throw ChainErrors.InvalidGroups.Fail(ChainErrors.DuplicateGroupName.Log);
        }

        var priceDenom = msg.Groups[0].Resources[0].Price.Denom;
        if (priceDenom != AkashNetwork.Uact)
        {
            throw ChainErrors.InvalidPrice.Fail($"unsupported denomination {priceDenom}");
        }

        state.Deployments[key] = new Deployment
        {
            Id = msg.Id.Clone(), State = Deployment.Types.State.Active, Hash = msg.Hash, CreatedAt = ctx.Height,
        };
        for (var i = 0; i < msg.Groups.Count; i++)
        {
            var groupKey = new GroupKey(key.Owner, key.Dseq, (uint)(i + 1));
            state.Groups[groupKey] = new Group
            {
                Id = new GroupID { Owner = key.Owner, Dseq = key.Dseq, Gseq = groupKey.Gseq },
                State = Group.Types.State.Open,
                GroupSpec = msg.Groups[i].Clone(),
                CreatedAt = ctx.Height,
            };
            Market.CreateOrder(state, groupKey, msg.Groups[i]);
        }

        EscrowKeeper.CreateAccount(state, Scope.Deployment, key.ToString(), key.Owner, key.Owner, denom, amount, msg.Deposit.Sources[0]);
    }

    public static void ValidateUpdate(MsgUpdateDeployment msg)
    {
        ValidateId(msg.Id);
        if (msg.Hash.IsEmpty)
        {
            throw ChainErrors.EmptyHash.Fail();
        }

        if (msg.Hash.Length != HashLength)
        {
            throw ChainErrors.InvalidHash.Fail();
        }
    }

    public static void Update(MsgContext ctx, MsgUpdateDeployment msg)
    {
        var deployment = Active(ctx.State, msg.Id);
        if (deployment.Hash.Equals(msg.Hash))
        {
            throw ChainErrors.InvalidHash.Fail();
        }

        deployment.Hash = msg.Hash;
    }

    public static void Close(MsgContext ctx, MsgCloseDeployment msg)
    {
        var deployment = Active(ctx.State, msg.Id);
        var key = new DeploymentKey(deployment.Id.Owner, deployment.Id.Dseq);
        var account = ctx.State.EscrowAccounts[EscrowAccountRecord.AccountKey(Scope.Deployment, key.ToString())];

        // Closing the escrow account fires the hooks that close the deployment, groups, orders, bids and leases.
        EscrowKeeper.CloseAccount(ctx.State, account);
    }

    public static void CloseGroup(MsgContext ctx, GroupID id) => StopGroup(ctx, id, Group.Types.State.Closed);

    public static void PauseGroup(MsgContext ctx, GroupID id) => StopGroup(ctx, id, Group.Types.State.Paused);

    public static void StartGroup(MsgContext ctx, GroupID id)
    {
        var key = new GroupKey(id.Owner, id.Dseq, id.Gseq);
        if (!ctx.State.Groups.TryGetValue(key, out var group))
        {
            throw ChainErrors.GroupNotFound.Fail();
        }

        if (group.State != Group.Types.State.Paused)
        {
            throw new TxError("deployment", 18, "Group not open").Fail("group not paused");
        }

        group.State = Group.Types.State.Open;
        Market.CreateOrder(ctx.State, key, group.GroupSpec);
    }

    public static void ValidateId(DeploymentID? id)
    {
        if (id is null || !Validation.IsAddress(id.Owner))
        {
            throw ChainErrors.InvalidDeploymentId.Fail("owner: invalid address");
        }

        if (id.Dseq == 0)
        {
            throw ChainErrors.InvalidDeploymentId.Fail("dseq: cannot be 0");
        }
    }

    private static void StopGroup(MsgContext ctx, GroupID id, Group.Types.State to)
    {
        var key = new GroupKey(id.Owner, id.Dseq, id.Gseq);
        if (!ctx.State.Groups.TryGetValue(key, out var group))
        {
            throw ChainErrors.GroupNotFound.Fail();
        }

        if (group.State == Group.Types.State.Closed || (to == Group.Types.State.Paused && group.State != Group.Types.State.Open))
        {
            throw ChainErrors.GroupClosed.Fail();
        }

        group.State = to;
        Market.OnGroupClosed(ctx.State, key, to);
    }

    private static Deployment Active(ChainState state, DeploymentID id)
    {
        if (!state.Deployments.TryGetValue(new DeploymentKey(id.Owner, id.Dseq), out var deployment))
        {
            throw ChainErrors.DeploymentNotFound.Fail();
        }

        if (deployment.State != Deployment.Types.State.Active)
        {
            throw ChainErrors.DeploymentClosed.Fail();
        }

        return deployment;
    }

    private static void ValidateGroupSpec(GroupSpec group)
    {
        if (string.IsNullOrEmpty(group.Name))
        {
            throw ChainErrors.GroupSpecInvalid.Fail("empty group spec name");
        }

        if (group.Resources.Count == 0)
        {
            throw ChainErrors.GroupSpecInvalid.Fail("group spec has no resources");
        }

        string? denom = null;
        foreach (var unit in group.Resources)
        {
            if (unit.Count == 0)
            {
                throw ChainErrors.GroupSpecInvalid.Fail("resource count must be > 0");
            }

            var price = Validation.DecAmount(unit.Price);
            if (price.IsZero)
            {
                throw ChainErrors.GroupSpecInvalid.Fail("price must be > 0");
            }

            denom ??= unit.Price.Denom;
            if (denom != unit.Price.Denom)
            {
                throw ChainErrors.GroupSpecInvalid.Fail("multi-denonimation group");
            }
        }
    }

    /// <summary>The order's maximum price per block: Σ unit price × count (scaled).</summary>
    public static BigInteger GroupPrice(GroupSpec spec) =>
        spec.Resources.Aggregate(BigInteger.Zero, (sum, unit) => sum + (Validation.DecAmount(unit.Price) * unit.Count));
}
