using System.Globalization;
using Flock.Akash.Chain;
using Flock.Akash.Client;
using Flock.Akash.Crypto;
using Flock.Akash.Sdl;
using Flock.Crds.V1Alpha1;
using Flock.Operator.Backends.InCluster;
using Flock.Operator.Runtime.Client;
using Flock.Operator.Workers;
using k8s.Models;
using DeploymentState = Flock.Akash.Protos.DeploymentV1.Deployment.Types.State;
using LeaseState = Flock.Akash.Protos.MarketV1.Lease.Types.State;
using Coin = Flock.Akash.Protos.CosmosBaseV1Beta1.Coin;

namespace Flock.Operator.Backends.Akash;

/// <summary>What the Akash side looks like after a pass.</summary>
/// <param name="Status">The resource's status.akash.</param>
/// <param name="LeaseActive">A lease runs the worker.</param>
/// <param name="Problem">Why it does not, when a person or the chain must act.</param>
public sealed record AkashObservation(AkashStatus Status, bool LeaseActive, WorkloadProblem? Problem);

/// <summary>
/// The worker's Akash deployment, crash-safe: the dseq is chosen and written to status in one pass and
/// the deployment is created in a later one, looked up by (owner, dseq) first — so a crash anywhere
/// creates at most one deployment. The manifest changes become MsgUpdateDeployment; a worker that must
/// not run gets its deployment closed and the escrow refunded. The wallet's mnemonic and the worker's
/// secrets are read from their Secrets at the moment they are used and never kept or logged.
/// </summary>
public sealed class AkashBackend(KubeRestClient kube, AkashChainClient chain, TxSubmitter submitter, AkashOptions options)
{
    private static readonly ResourceKind Secrets = new("", "v1", "secrets", "Secret");

    public AkashOptions Options => options;

    public async Task<AkashObservation> EnsureAsync(WorkerProfile profile, AkashStatus? current, bool running, CancellationToken ct)
    {
        var akash = profile.Spec.Placement.Akash!;
        using var wallet = await WalletAsync(profile, akash, ct).ConfigureAwait(false);
        var status = (current ?? new AkashStatus()) with { Owner = wallet.Address };
        try
        {
            if (!running) return await StopAsync(wallet, status, ct).ConfigureAwait(false);

            if (status.Dseq is null)
            {
                // The dseq reaches status (this pass's status write) before any deployment exists.
                var height = await chain.GetLatestBlockHeightAsync(ct).ConfigureAwait(false);
                return new AkashObservation(status with { Dseq = height, LeaseState = "creating" }, false, null);
            }

            var dseq = (ulong)status.Dseq.Value;
            var compiled = SdlRenderer.Compile(AkashSdlRequests.For(profile, await SecretValuesAsync(profile, ct).ConfigureAwait(false)));
            var deployment = await chain.GetDeploymentAsync(wallet.Address, dseq, ct).ConfigureAwait(false);
            if (deployment is null)
            {
                var deposit = DepositOf(akash);
                await submitter.SubmitAsync(wallet, [AkashMessages.CreateDeployment(wallet.Address, dseq, compiled.Groups, compiled.Version, deposit)],
                    cancellationToken: ct).ConfigureAwait(false);
                deployment = await chain.GetDeploymentAsync(wallet.Address, dseq, ct).ConfigureAwait(false);
            }
            else if (deployment.Deployment.State == DeploymentState.Active && !deployment.Deployment.Hash.Span.SequenceEqual(compiled.Version))
            {
                await submitter.SubmitAsync(wallet, [AkashMessages.UpdateDeployment(wallet.Address, dseq, compiled.Version)], cancellationToken: ct).ConfigureAwait(false);
            }

            if (deployment?.Deployment.State == DeploymentState.Closed)
            {
                return new AkashObservation(status with { LeaseState = "closed" }, false,
                    new WorkloadProblem("DeploymentClosed", $"deployment {wallet.Address}/{dseq} was closed on chain (for example when its escrow ran dry)", Fatal: true));
            }

            return await ObserveAsync(wallet.Address, dseq, status, ct).ConfigureAwait(false);
        }
        catch (AkashAccountNotFundedException)
        {
            return new AkashObservation(status, false, new WorkloadProblem("InsufficientFunds",
                $"the Akash account {wallet.Address} has never been funded: send it uakt for fees and uact for the deposit", Fatal: true));
        }
        catch (AkashTxException e)
        {
            var reason = e.Code == 5 ? "InsufficientFunds" : "TxRejected";
            return new AkashObservation(status, false, new WorkloadProblem(reason,
                $"the chain rejected the transaction with code {e.Code} ({e.Codespace}): {e.RawLog}", Fatal: e.Code != 5));
        }
        catch (AkashChainException e) when (e.IsTransient)
        {
            return new AkashObservation(status, false, new WorkloadProblem("AkashUnavailable", $"the Akash node is unreachable: {e.Message}", Fatal: false));
        }
    }

    /// <summary>Closes the deployment if it is open (the finalizer's step); returns the escrow that comes back, if any.</summary>
    public async Task<string?> CloseAsync(WorkerProfile profile, AkashStatus? current, CancellationToken ct)
    {
        if (current?.Dseq is not { } dseq || profile.Spec.Placement.Akash is not { } akash) return null;
        using var wallet = await WalletAsync(profile, akash, ct).ConfigureAwait(false);
        var deployment = await chain.GetDeploymentAsync(wallet.Address, (ulong)dseq, ct).ConfigureAwait(false);
        if (deployment?.Deployment.State != DeploymentState.Active) return null;
        var escrow = Funds(await chain.GetDeploymentEscrowAsync(wallet.Address, (ulong)dseq, ct).ConfigureAwait(false));
        await submitter.SubmitAsync(wallet, [AkashMessages.CloseDeployment(wallet.Address, (ulong)dseq)], cancellationToken: ct).ConfigureAwait(false);
        return escrow;
    }

    private async Task<AkashObservation> StopAsync(Wallet wallet, AkashStatus status, CancellationToken ct)
    {
        if (status.Dseq is { } dseq)
        {
            var deployment = await chain.GetDeploymentAsync(wallet.Address, (ulong)dseq, ct).ConfigureAwait(false);
            if (deployment?.Deployment.State == DeploymentState.Active)
            {
                await submitter.SubmitAsync(wallet, [AkashMessages.CloseDeployment(wallet.Address, (ulong)dseq)], cancellationToken: ct).ConfigureAwait(false);
            }
        }

        // A later start creates a fresh deployment with a new dseq.
        return new AkashObservation(status with { Dseq = null, Gseq = null, Oseq = null, Provider = null, Price = null, PricePerHour = null, EscrowBalance = null, Runway = null, LeaseState = "closed" },
            false, null);
    }

    private async Task<AkashObservation> ObserveAsync(string owner, ulong dseq, AkashStatus status, CancellationToken ct)
    {
        var escrow = Funds(await chain.GetDeploymentEscrowAsync(owner, dseq, ct).ConfigureAwait(false));
        var lease = (await chain.ListLeasesAsync(owner, dseq, cancellationToken: ct).ConfigureAwait(false))
            .Select(l => l.Lease).FirstOrDefault(l => l.State == LeaseState.Active);
        if (lease is null)
        {
            return new AkashObservation(status with { EscrowBalance = escrow, LeaseState = "awaiting-bids" }, false,
                new WorkloadProblem("AwaitingBids", $"deployment {owner}/{dseq} is open; waiting for a provider's bid within maxPrice", Fatal: false));
        }

        var price = LegacyDec.FromWire(lease.Price.Amount);
        return new AkashObservation(status with
        {
            EscrowBalance = escrow,
            LeaseState = "active",
            Gseq = (int)lease.Id.Gseq,
            Oseq = (int)lease.Id.Oseq,
            Provider = lease.Id.Provider,
            Price = price + lease.Price.Denom,
        }, true, null);
    }

    private Coin DepositOf(AkashPlacement akash)
    {
        var denom = akash.MaxPrice.Denom == AkashDenom.Uakt ? "uakt" : "uact";
        var amount = akash.Deposit is { } d ? ulong.Parse(d.Amount.Split('.')[0], CultureInfo.InvariantCulture) : options.DefaultDeposit;
        return AkashMessages.Coin(amount, denom);
    }

    private static string? Funds(Flock.Akash.Protos.EscrowTypesV1.Account? account) =>
        account?.State?.Funds is { Count: > 0 } funds
            ? string.Join(",", funds.Select(f => LegacyDec.FromWire(f.Amount) + f.Denom))
            : null;

    private async Task<Wallet> WalletAsync(WorkerProfile profile, AkashPlacement akash, CancellationToken ct)
    {
        var mnemonic = await SecretValueAsync(profile.Namespace, akash.AccountSecretRef.Name, akash.AccountSecretRef.Key, ct).ConfigureAwait(false);
        return Wallet.FromMnemonic(mnemonic.Trim());
    }

    private async Task<IReadOnlyDictionary<string, string>> SecretValuesAsync(WorkerProfile profile, CancellationToken ct)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var e in WorkerEnvironment.For(profile).Where(e => e.ValueFrom?.SecretKeyRef is not null))
        {
            values[e.Name] = await SecretValueAsync(profile.Namespace, e.ValueFrom.SecretKeyRef.Name, e.ValueFrom.SecretKeyRef.Key, ct).ConfigureAwait(false);
        }

        return values;
    }

    private async Task<string> SecretValueAsync(string ns, string name, string key, CancellationToken ct)
    {
        var secret = await kube.GetAsync<V1Secret>(Secrets, ns, name, ct).ConfigureAwait(false);
        if (secret.Data?.TryGetValue(key, out var bytes) == true) return System.Text.Encoding.UTF8.GetString(bytes);
        if (secret.StringData?.TryGetValue(key, out var text) == true) return text;
        throw new KeyNotFoundException($"Secret {ns}/{name} has no key {key}");
    }
}
