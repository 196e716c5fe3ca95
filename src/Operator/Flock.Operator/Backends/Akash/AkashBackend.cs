using System.Globalization;
using Flock.Akash.Chain;
using Flock.Akash.Client;
using Flock.Akash.Crypto;
using Flock.Akash.Sdl;
using Flock.Crds.V1Alpha1;
using Flock.Operator.Backends.InCluster;
using Flock.Operator.Workers;
using DeploymentState = Flock.Akash.Protos.DeploymentV1.Deployment.Types.State;
using GroupState = Flock.Akash.Protos.DeploymentV1Beta4.Group.Types.State;
using LeaseState = Flock.Akash.Protos.MarketV1.Lease.Types.State;
using OrderState = Flock.Akash.Protos.MarketV1Beta5.Order.Types.State;
using QueryDeploymentResponse = Flock.Akash.Protos.DeploymentV1Beta4.QueryDeploymentResponse;

namespace Flock.Operator.Backends.Akash;

/// <summary>What the Akash side looks like after a pass.</summary>
/// <param name="Status">The resource's status.akash.</param>
/// <param name="LeaseActive">A lease runs the worker.</param>
/// <param name="Problem">Why it does not, when a person or the chain must act.</param>
/// <param name="BidsSeen">Open bids looked at in this pass.</param>
public sealed record AkashObservation(AkashStatus Status, bool LeaseActive, WorkloadProblem? Problem, int BidsSeen = 0);

/// <summary>
/// The worker's Akash deployment, crash-safe: the dseq is chosen and written to status in one pass and
/// the deployment is created in a later one, looked up by (owner, dseq) first — so a crash anywhere
/// creates at most one deployment. Then, pass by pass: a changed manifest becomes MsgUpdateDeployment;
/// an open order gets a lease once its bid window closes; a paused group (its provider closed the lease)
/// is restarted without that provider; the escrow is topped up to keep the runway above the threshold
/// (the resource's, or the operator's Console-like default) within the spending cap; a deployment closed on chain (escrow dry) is replaced; an order that gets no
/// eligible bid in time is given up (<see cref="Reordering"/>: the deployment closes, and a new one opens after a
/// backoff). A worker that must not run gets its deployment closed and the escrow refunded; what it paid stays in status.
/// </summary>
public sealed class AkashBackend(
    AkashSecrets secrets, AkashChainClient chain, TxSubmitter submitter, LeaseAcquirer leases, AkashFunding funding, ProviderLeaseSync providers,
    DseqAllocator dseqs, AkashOptions options, TimeProvider time) : IWorkerBackend
{
    public AkashOptions Options => options;

    public Backend Kind => Backend.Akash;

    public IReadOnlyList<string> OwnedConditions => [WorkerStatusBuilder.LeaseActive];

    /// <summary>The status record is the truth of what exists on chain: the dseq is written before the deployment is created.</summary>
    public bool HasWorkload(WorkerProfile profile, WorkerStatus? recorded) => recorded?.Akash?.Dseq is not null;

    public async Task<BackendOutcome> ApplyAsync(WorkerTarget target, BackendAction action, CancellationToken ct)
    {
        var recorded = target.Recorded?.Akash;
        switch (action)
        {
            case BackendAction.Leave:
                return BackendOutcome.Nothing with { Akash = recorded };
            case BackendAction.Remove:
                // The worker moved in-cluster: its deployment closes and the escrow comes back; what it paid stays in status.
                return BackendOutcome.Nothing with { Akash = (await EnsureAsync(target.Profile, recorded, running: false, ct).ConfigureAwait(false)).Status };
            default:
                if (recorded is { NextOrderAt: not null } && target.Profile.Resource.Metadata.Generation > target.Recorded?.ObservedGeneration)
                {
                    recorded = Reordering.SpecChanged(recorded);
                }

                var observed = await EnsureAsync(target.Profile, recorded, action == BackendAction.Run, ct, target.DseqsOfOthers).ConfigureAwait(false);
                return new BackendOutcome(new WorkloadObservation(observed.Status.Dseq is not null, observed.LeaseActive, 0, null, observed.Problem), observed.Status);
        }
    }

    /// <summary>
    /// An Akash worker is polled (escrow, bids, lease): soon right after its dseq was chosen or an order was given up
    /// (the next pass acts on what this one recorded), at the end of a reorder backoff, else at the poll interval.
    /// </summary>
    public TimeSpan? NextLook(BackendOutcome outcome, bool running, DateTimeOffset now) => outcome.Akash switch
    {
        null => null,
        { LeaseState: "creating" or Reordering.GivingUp } => TimeSpan.FromSeconds(Math.Min(1, options.PollSeconds)),
        { LeaseState: Reordering.Backoff, NextOrderAt: { } next } => TimeSpan.FromSeconds(Math.Clamp((next - now).TotalSeconds, 0.5, options.PollSeconds)),
        _ => TimeSpan.FromSeconds(options.PollSeconds),
    };

    public async Task<string?> CloseAsync(WorkerProfile profile, WorkerStatus? recorded, CancellationToken ct)
    {
        if (recorded?.Akash is not { Dseq: not null } deployed) return null;
        var refunded = await CloseDeploymentAsync(profile, deployed, ct).ConfigureAwait(false);
        return refunded is null ? null : $"closed deployment {deployed.Owner}/{deployed.Dseq}; escrow {refunded} returned to the account";
    }

    /// <param name="dseqsOfOthers">Deployment ids other resources record in status, by owner (a new dseq avoids them).</param>
    private async Task<AkashObservation> EnsureAsync(WorkerProfile profile, AkashStatus? current, bool running, CancellationToken ct,
        Func<string, IReadOnlySet<long>>? dseqsOfOthers = null)
    {
        var akash = profile.Spec.Placement.Akash!;
        var (opened, secretProblem) = await secrets.OpenWalletAsync(profile, akash, ct).ConfigureAwait(false);
        if (secretProblem is not null) return new AkashObservation(current ?? new AkashStatus(), false, secretProblem);
        using var wallet = opened!;
        var status = (current ?? new AkashStatus()) with { Owner = wallet.Address };
        try
        {
            if (!running) return new AkashObservation(await StopAsync(wallet, status, ct).ConfigureAwait(false), false, null);

            if (Reordering.Waiting(status, time.GetUtcNow()))
            {
                return new AkashObservation(status with { LeaseState = Reordering.Backoff }, false,
                    Reordering.Problem(status, "no deployment is open meanwhile (the escrow came back)"));
            }

            if (status.Dseq is null)
            {
                // The dseq reaches status (this pass's status write) before any deployment exists.
                var height = await chain.GetLatestBlockHeightAsync(ct).ConfigureAwait(false);
                var taken = dseqsOfOthers?.Invoke(wallet.Address) ?? new HashSet<long>();
                var chosen = dseqs.Next(wallet.Address, height, taken);
                while (await chain.GetDeploymentAsync(wallet.Address, (ulong)chosen, ct).ConfigureAwait(false) is not null)
                {
                    chosen = dseqs.Next(wallet.Address, chosen + 1, taken); // someone else's deployment: not ours to adopt
                }

                return new AkashObservation(status with { Dseq = chosen, LeaseState = "creating", NextOrderAt = null }, false, null);
            }

            var dseq = (ulong)status.Dseq.Value;
            if (status.LeaseState == Reordering.GivingUp)
            {
                return await GiveUpAsync(wallet, dseq, status, ct).ConfigureAwait(false);
            }

            var compiled = SdlRenderer.Compile(AkashSdlRequests.For(profile, await secrets.EnvironmentAsync(profile, ct).ConfigureAwait(false)));
            var deployment = await chain.GetDeploymentAsync(wallet.Address, dseq, ct).ConfigureAwait(false);
            if (deployment is null)
            {
                var deposit = DepositOf(akash);
                if (!EscrowLedger.DepositFits(deposit.Amount, MaxSpend(akash), SpentBefore(status)))
                {
                    return new AkashObservation(status with { LeaseState = "capped" }, false, new WorkloadProblem("SpendingCapReached",
                        $"a new deployment needs a deposit of {EscrowLedger.Format(deposit.Amount, deposit.Denom)} but the resource has spent {status.SpentBefore ?? "0"} of escrow.maxSpend {akash.Escrow!.MaxSpend!.Amount}{deposit.Denom}; raise the cap to continue",
                        Fatal: true));
                }

                var funded = await funding.EnsureAsync(wallet, deposit, akash, status, ct).ConfigureAwait(false);
                status = funded.Status;
                if (funded.Problem is { } fundingProblem) return new AkashObservation(status, false, fundingProblem);
                await submitter.SubmitAsync(wallet, [AkashMessages.CreateDeployment(wallet.Address, dseq, compiled.Groups, compiled.Version, deposit.ToCoin())],
                    cancellationToken: ct).ConfigureAwait(false);
                deployment = await chain.GetDeploymentAsync(wallet.Address, dseq, ct).ConfigureAwait(false);
            }
            else if (deployment.Deployment.State == DeploymentState.Active && !deployment.Deployment.Hash.Span.SequenceEqual(compiled.Version))
            {
                await submitter.SubmitAsync(wallet, [AkashMessages.UpdateDeployment(wallet.Address, dseq, compiled.Version)], cancellationToken: ct).ConfigureAwait(false);
            }

            if (deployment is null || deployment.Deployment.State != DeploymentState.Active)
            {
                // Closed on chain (the escrow ran dry, or someone closed it): settle what it paid and start over.
                var settled = await SettleAsync(wallet.Address, dseq, status, ct).ConfigureAwait(false);
                return new AkashObservation(settled, false, new WorkloadProblem("DeploymentClosed",
                    $"deployment {wallet.Address}/{dseq} was closed on chain (for example when its escrow ran dry); a new deployment follows", Fatal: false));
            }

            return await LeaseAsync(wallet, dseq, deployment, compiled, profile, status, ct).ConfigureAwait(false);
        }
        catch (AkashChainException e) when (AkashFailures.Explain(e, wallet.Address) is { } problem)
        {
            return new AkashObservation(status, false, problem);
        }
        catch (Exception e) when (e is FormatException or OverflowException or Google.Protobuf.InvalidProtocolBufferException)
        {
            // An answer the operator cannot read (a DecCoin that is not a LegacyDec, an amount beyond range): retried, never a crash.
            return new AkashObservation(status, false, new WorkloadProblem("AkashInvalidAnswer",
                $"the Akash node returned something the operator cannot read: {e.Message}", Fatal: false));
        }
    }

    /// <summary>Closes the deployment if it is open (the finalizer's step); returns the escrow that comes back, if any.</summary>
    private async Task<string?> CloseDeploymentAsync(WorkerProfile profile, AkashStatus? current, CancellationToken ct)
    {
        if (current?.Dseq is not { } dseq || profile.Spec.Placement.Akash is not { } akash) return null;
        using var wallet = await secrets.WalletAsync(profile, akash, ct).ConfigureAwait(false);
        var deployment = await chain.GetDeploymentAsync(wallet.Address, (ulong)dseq, ct).ConfigureAwait(false);
        if (deployment?.Deployment.State != DeploymentState.Active) return null;
        var escrow = AkashChainViews.Snapshot(await chain.GetDeploymentEscrowAsync(wallet.Address, (ulong)dseq, ct).ConfigureAwait(false));
        var height = await chain.GetLatestBlockHeightAsync(ct).ConfigureAwait(false);
        var price = await LeasePriceAsync(wallet.Address, (ulong)dseq, ct).ConfigureAwait(false);
        await submitter.SubmitAsync(wallet, [AkashMessages.CloseDeployment(wallet.Address, (ulong)dseq)], cancellationToken: ct).ConfigureAwait(false);
        return escrow is null ? null : EscrowLedger.Format(EscrowLedger.Position(escrow, price, height).Balance, escrow.Denom);
    }

    private async Task<AkashStatus> StopAsync(Wallet wallet, AkashStatus status, CancellationToken ct)
    {
        status = Reordering.Forgotten(status);
        if (status.Dseq is not { } dseq) return status with { LeaseState = "closed" };
        var deployment = await chain.GetDeploymentAsync(wallet.Address, (ulong)dseq, ct).ConfigureAwait(false);
        if (deployment?.Deployment.State == DeploymentState.Active)
        {
            await submitter.SubmitAsync(wallet, [AkashMessages.CloseDeployment(wallet.Address, (ulong)dseq)], cancellationToken: ct).ConfigureAwait(false);
        }

        // A later start creates a fresh deployment with a new dseq.
        return await SettleAsync(wallet.Address, (ulong)dseq, status, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// The second half of giving an order up: close the deployment (unless a crash already did) so the escrow comes back,
    /// settle it, and wait for the backoff. A lease on it (none should exist: the give-up is decided only without one)
    /// cancels the give-up instead of closing a running worker.
    /// </summary>
    private async Task<AkashObservation> GiveUpAsync(Wallet wallet, ulong dseq, AkashStatus status, CancellationToken ct)
    {
        var owner = wallet.Address;
        if ((await chain.ListLeasesAsync(owner, dseq, "active", ct).ConfigureAwait(false)).Any(l => l.Lease.State == LeaseState.Active))
        {
            return new AkashObservation(Reordering.Leased(status) with { LeaseState = "awaiting-bids" }, false, null);
        }

        var deployment = await chain.GetDeploymentAsync(owner, dseq, ct).ConfigureAwait(false);
        if (deployment?.Deployment.State == DeploymentState.Active)
        {
            await submitter.SubmitAsync(wallet, [AkashMessages.CloseDeployment(owner, dseq)], cancellationToken: ct).ConfigureAwait(false);
        }

        var settled = Reordering.Closed(await SettleAsync(owner, dseq, status, ct).ConfigureAwait(false));
        return new AkashObservation(settled, false, Reordering.Problem(settled, $"deployment {owner}/{dseq} was closed and its escrow returned"));
    }

    /// <summary>
    /// Folds a closed deployment's payments into spentBefore and forgets its dseq, in one status write: a crash
    /// before it leaves the dseq in status, so the next pass settles it again instead of losing or doubling it.
    /// </summary>
    private async Task<AkashStatus> SettleAsync(string owner, ulong dseq, AkashStatus status, CancellationToken ct)
    {
        var escrow = AkashChainViews.Snapshot(await chain.GetDeploymentEscrowAsync(owner, dseq, ct).ConfigureAwait(false));
        var spent = SpentBefore(status) + (escrow?.Transferred ?? 0);
        var denom = escrow?.Denom ?? EscrowLedger.Parse(status.SpentBefore)?.Denom ?? "uact";
        return status with
        {
            Dseq = null, Gseq = null, Oseq = null, Provider = null, Price = null, PricePerHour = null, EscrowBalance = null, Runway = null,
            ManifestSent = null, ProviderUnreachableSince = null, LeaseState = "closed", AwaitedOrder = null, AwaitedSince = null, TopUpCapped = null,
            SpentBefore = EscrowLedger.Format(spent, denom), Spent = EscrowLedger.Format(spent, denom),
        };
    }

    private async Task<AkashObservation> LeaseAsync(Wallet wallet, ulong dseq, QueryDeploymentResponse deployment, CompiledSdl compiled, WorkerProfile profile,
        AkashStatus status, CancellationToken ct)
    {
        var akash = profile.Spec.Placement.Akash!;
        var owner = wallet.Address;
        var now = time.GetUtcNow();
        var height = await chain.GetLatestBlockHeightAsync(ct).ConfigureAwait(false);
        status = status with { AvoidProviders = Avoided(status, now) };
        var onChain = await chain.ListLeasesAsync(owner, dseq, cancellationToken: ct).ConfigureAwait(false);
        var active = onChain.Select(l => l.Lease).FirstOrDefault(l => l.State == LeaseState.Active);
        var bidsSeen = 0;

        if (active is null)
        {
            var group = deployment.Groups.OrderBy(g => g.Id.Gseq).FirstOrDefault();
            if (group?.State == GroupState.Paused)
            {
                // The provider closed the lease (§7: the group pauses); restart the group without that provider.
                var lost = onChain.Select(l => l.Lease).Where(l => l.State == LeaseState.Closed).MaxBy(l => l.ClosedOn);
                if (lost is not null) status = Avoid(status, lost.Id.Provider, $"closed lease {dseq}/{lost.Id.Gseq}/{lost.Id.Oseq} ({lost.Reason})", now);
                await submitter.SubmitAsync(wallet, [new Flock.Akash.Protos.DeploymentV1Beta4.MsgStartGroup { Id = group.Id.Clone() }], cancellationToken: ct)
                    .ConfigureAwait(false);
                return await ObservedAsync(owner, dseq, status with { LeaseState = "awaiting-bids", ManifestSent = null }, null, new WorkloadProblem("LeaseLost",
                    $"provider {lost?.Id.Provider ?? "?"} closed the lease; the group was restarted and a new provider will be chosen", Fatal: false), height, 0, ct).ConfigureAwait(false);
            }

            var order = (await chain.ListOrdersAsync(owner, dseq, "open", ct).ConfigureAwait(false))
                .Where(o => o.State == OrderState.Open).OrderBy(o => o.Id.Oseq).FirstOrDefault();
            if (order is null)
            {
                return await ObservedAsync(owner, dseq, status with { LeaseState = "no-order" }, null, new WorkloadProblem("AwaitingBids",
                    $"deployment {owner}/{dseq} has no open order yet", Fatal: false), height, 0, ct).ConfigureAwait(false);
            }

            status = Reordering.Await(status, $"{dseq}/{order.Id.Gseq}/{order.Id.Oseq}", now);
            var avoid = (status.AvoidProviders ?? []).Select(a => a.Provider).ToHashSet(StringComparer.Ordinal);
            var attempt = await leases.TryLeaseAsync(profile, wallet, dseq, order, akash, avoid, height, ct).ConfigureAwait(false);
            bidsSeen = attempt.BidsSeen;
            foreach (var skipped in attempt.Skipped)
            {
                // A bidder whose /status did not answer is not asked again at every pass: the next eligible one is.
                status = Avoid(status, skipped.Provider, skipped.Reason, now);
            }

            if (Reordering.IsDue(status, attempt, now, options))
            {
                // Recorded now, closed in the next pass (GiveUpAsync): a crash in between repeats the close, never the decision.
                status = Reordering.Decide(status, owner, attempt, now, options);
                return await ObservedAsync(owner, dseq, status, null, Reordering.Problem(status, "the deployment is being closed so its escrow comes back"),
                    height, bidsSeen, ct).ConfigureAwait(false);
            }

            if (!attempt.Leased)
            {
                return await ObservedAsync(owner, dseq, status with { LeaseState = "awaiting-bids" }, null, attempt.Problem, height, bidsSeen, ct).ConfigureAwait(false);
            }

            active = (await chain.ListLeasesAsync(owner, dseq, "active", ct).ConfigureAwait(false)).Select(l => l.Lease).FirstOrDefault(l => l.State == LeaseState.Active);
            if (active is null)
            {
                return await ObservedAsync(owner, dseq, status with { LeaseState = "awaiting-bids" }, null, null, height, bidsSeen, ct).ConfigureAwait(false);
            }
        }

        var price = AkashChainViews.Amount(active.Price);
        status = Reordering.Leased(status) with
        {
            LeaseState = "active",
            Gseq = (int)active.Id.Gseq,
            Oseq = (int)active.Id.Oseq,
            Provider = active.Id.Provider,
            Price = EscrowLedger.Format(price, active.Price.Denom),
            PricePerHour = EscrowLedger.Format(EscrowLedger.PerHour(price, options.BlockSeconds), active.Price.Denom),
        };

        var escrow = AkashChainViews.Snapshot(await chain.GetDeploymentEscrowAsync(owner, dseq, ct).ConfigureAwait(false));
        if (escrow is not null)
        {
            var position = EscrowLedger.Position(escrow, price, height);
            // Decided from the escrow as the chain holds it, never from status: once a deposit is in a block the next
            // pass sees the longer runway and deposits nothing, so a crash before or after the broadcast repeats no deposit.
            var rule = EscrowLedger.Rule(akash.Escrow?.TopUpBelow, akash.Escrow?.RefillTo, options.TopUpBelowHours, options.RefillToHours, options.BlockSeconds);
            var decision = EscrowLedger.Decide(position, price, rule, MaxSpend(akash), SpentBefore(status));
            status = status with { TopUpCapped = decision.Capped ? CapMessage(akash, rule!, escrow.Denom) : null };
            if (decision.Amount > 0)
            {
                var amount = new DepositAmount(decision.Amount, escrow.Denom);
                var funded = await funding.EnsureAsync(wallet, amount, akash, status, ct).ConfigureAwait(false);
                status = funded.Status;
                if (funded.Problem is null && await AffordableAsync(wallet, amount, ct).ConfigureAwait(false) is { Amount: > 0 } affordable)
                {
                    await submitter.SubmitAsync(wallet, [AkashMessages.DepositToDeployment(owner, owner, dseq, affordable.ToCoin())], cancellationToken: ct).ConfigureAwait(false);
                }
            }
        }

        var sync = await providers.SyncAsync(wallet, active, compiled, AkashSdlRequests.ServiceNameOf(profile), status, ct).ConfigureAwait(false);
        status = sync.Status;
        if (sync.ReplaceLease)
        {
            // The group stays open when the owner closes the lease, so the chain opens a new order (oseq + 1) for new bids.
            await submitter.SubmitAsync(wallet, [AkashMessages.CloseLease(active.Id)], cancellationToken: ct).ConfigureAwait(false);
            status = Avoid(status, active.Id.Provider, sync.Problem!.Reason, now) with
            {
                LeaseState = "awaiting-bids", Provider = null, Price = null, PricePerHour = null, Uris = null, ManifestSent = null, ProviderUnreachableSince = null,
            };
            return await ObservedAsync(owner, dseq, status, null, sync.Problem, height, bidsSeen, ct).ConfigureAwait(false);
        }

        var observation = await ObservedAsync(owner, dseq, status, price, sync.Problem, height, bidsSeen, ct).ConfigureAwait(false);
        return observation with { LeaseActive = sync.Ready };
    }

    /// <summary>The observation with the escrow position read at the end of the pass (after any top-up).</summary>
    private async Task<AkashObservation> ObservedAsync(string owner, ulong dseq, AkashStatus status, decimal? price, WorkloadProblem? problem, long height, int bidsSeen, CancellationToken ct)
    {
        var escrow = AkashChainViews.Snapshot(await chain.GetDeploymentEscrowAsync(owner, dseq, ct).ConfigureAwait(false));
        if (escrow is not null)
        {
            var position = EscrowLedger.Position(escrow, price ?? 0, height);
            if (EscrowLedger.Refreshes(status.EscrowBalance, status.Runway, position, options.EscrowRefreshBlocks))
            {
                status = status with
                {
                    EscrowBalance = EscrowLedger.Format(position.Balance, escrow.Denom),
                    Runway = position.Runway,
                    Spent = EscrowLedger.Format(SpentBefore(status) + position.Spent, escrow.Denom),
                };
            }
        }

        return new AkashObservation(status, price is not null && problem is null, problem, bidsSeen);
    }

    private async Task<decimal> LeasePriceAsync(string owner, ulong dseq, CancellationToken ct) =>
        (await chain.ListLeasesAsync(owner, dseq, "active", ct).ConfigureAwait(false))
        .Select(l => l.Lease).Where(l => l.State == LeaseState.Active).Select(l => AkashChainViews.Amount(l.Price)).Sum();

    private IReadOnlyList<AvoidedProvider>? Avoided(AkashStatus status, DateTimeOffset now)
    {
        var kept = (status.AvoidProviders ?? []).Where(a => a.Until is null || a.Until > now).ToList();
        return kept.Count == 0 ? null : kept;
    }

    private AkashStatus Avoid(AkashStatus status, string provider, string reason, DateTimeOffset now)
    {
        var list = (status.AvoidProviders ?? []).Where(a => a.Provider != provider).ToList();
        list.Add(new AvoidedProvider { Provider = provider, Until = now.AddMinutes(options.AvoidProviderMinutes), Reason = reason });
        return status with { AvoidProviders = list.TakeLast(32).ToList() };
    }

    private DepositAmount DepositOf(AkashPlacement akash)
    {
        var denom = akash.MaxPrice.Denom == AkashDenom.Uakt ? "uakt" : "uact";
        var amount = akash.Deposit is { } d
            ? decimal.Floor(decimal.Parse(d.Amount, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture))
            : options.DefaultDeposit;
        return new DepositAmount(amount, denom);
    }

    private static decimal? MaxSpend(AkashPlacement akash) =>
        akash.Escrow?.MaxSpend is { } cap ? decimal.Parse(cap.Amount, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture) : null;

    /// <summary>
    /// The part of a top-up the account holds (keeping the fee reserve when the escrow is in uakt, the gas denom). Top-ups
    /// now happen without the user asking, so a short account must not fail every pass of a running worker: as Console
    /// clamps a top-up to the wallet's allowance, what is there is deposited and the runway shown in status tells the rest.
    /// </summary>
    private async Task<DepositAmount> AffordableAsync(Wallet wallet, DepositAmount wanted, CancellationToken ct)
    {
        var held = (decimal)await chain.GetBalanceAsync(wallet.Address, wanted.Denom, ct).ConfigureAwait(false);
        if (wanted.Denom == AkashNetwork.Uakt) held -= options.FeeReserveUakt;
        return wanted with { Amount = Math.Max(0, Math.Min(wanted.Amount, decimal.Floor(held))) };
    }

    /// <summary>Stable while the cap holds (no runway figures), so it costs no status write per pass.</summary>
    private static string CapMessage(AkashPlacement akash, TopUpRule rule, string denom) =>
        $"SpendingCapReached: escrow.maxSpend {akash.Escrow!.MaxSpend!.Amount}{denom} keeps top-ups short of {rule.RefillTo} blocks of runway; "
        + "the deployment closes when its escrow runs dry; raise the cap to keep it running";

    private static decimal SpentBefore(AkashStatus status) => EscrowLedger.Parse(status.SpentBefore)?.Amount ?? 0;
}
