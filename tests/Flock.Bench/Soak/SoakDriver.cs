using System.Text.Json.Nodes;
using Flock.Crds.V1Alpha1;
using Flock.Operator.Runtime.Client;
using Flock.Operator.Workers;
using k8s;
using DeploymentState = Flock.Akash.Protos.DeploymentV1.Deployment.Types.State;

namespace Flock.Bench.Soak;

/// <summary>
/// The users of the soak: creates the resources (a third each in-cluster, validator, Akash), then changes, suspends,
/// resumes, deletes and recreates them at random (fixed seed), remembering what it asked so the end state can be judged.
/// </summary>
internal sealed class SoakDriver(SoakWorld world, KubeRestClient rest, int resources)
{
    private readonly Dictionary<(string, string), Desired> _desired = [];
    private readonly Random _random = new(20260);
    private readonly Dictionary<string, int> _actions = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, int> Actions => _actions;

    public int EverCreated { get; private set; }

    public async Task CreateAllAsync(TimeSpan over, CancellationToken ct)
    {
        var gap = over / resources;
        for (var i = 0; i < resources && !ct.IsCancellationRequested; i++)
        {
            var d = new Desired((SoakKind)(i % 3), world.Namespaces[i % world.Namespaces.Count], $"r{i}", true, false, 0);
            await CreateAsync(d, ct);
            await Task.Delay(gap, ct);
        }
    }

    public async Task ChurnAsync(TimeSpan duration, double perSecond, CancellationToken ct)
    {
        var end = DateTimeOffset.UtcNow + duration;
        var keys = _desired.Keys.ToList();
        while (DateTimeOffset.UtcNow < end && !ct.IsCancellationRequested)
        {
            var d = _desired[keys[_random.Next(keys.Count)]];
            var roll = _random.NextDouble();
            try
            {
                if (!d.Exists) await CreateAsync(d with { Exists = true, Suspended = false, Revision = 0 }, ct, "recreate");
                else if (roll < 0.45) await PatchAsync(d with { Revision = d.Revision + 1 }, new JsonObject { ["env"] = new JsonArray(new JsonObject { ["name"] = "SOAK_REVISION", ["value"] = $"{d.Revision + 1}" }) }, "change");
                else if (roll < 0.75) await PatchAsync(d with { Suspended = !d.Suspended }, new JsonObject { ["suspend"] = !d.Suspended }, d.Suspended ? "resume" : "suspend");
                else await DeleteAsync(d, ct);
            }
            catch (KubeApiException e) when (e.IsConflict || e.IsNotFound || e.IsAlreadyExists)
            {
                Count("skipped (still terminating)");
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or KubeApiException)
            {
                // The API server restarted under us: the write may or may not have happened; believe what is stored.
                Count("lost in an API restart");
                await AdoptStoredAsync(d);
            }

            await Task.Delay(TimeSpan.FromSeconds(1 / perSecond), ct);
        }
    }

    /// <summary>What differs from what the users asked: phases, children left behind, deployments left open, books that do not balance.</summary>
    public async Task<(int Checked, List<string> Wrong)> CheckAsync(CancellationToken ct)
    {
        var wrong = new List<string>();
        var client = world.Sandbox.Client();
        foreach (var ns in world.Namespaces)
        {
            var nodes = (await rest.ListAsync<FlockTrainingNode>(FlockKinds.TrainingNode.Resource, ns, new ListOptions(), ct)).Items.ToDictionary(n => n.Metadata.Name, n => (n.Metadata, (WorkerStatus?)n.Status));
            var validators = (await rest.ListAsync<FlockValidator>(FlockKinds.Validator.Resource, ns, new ListOptions(), ct)).Items.ToDictionary(v => v.Metadata.Name, v => (v.Metadata, (WorkerStatus?)v.Status));
            var deployments = (await client.AppsV1.ListNamespacedDeploymentAsync(ns, cancellationToken: ct)).Items.Select(d => d.Metadata.Name).ToHashSet();
            var claims = (await client.CoreV1.ListNamespacedPersistentVolumeClaimAsync(ns, cancellationToken: ct)).Items.Select(c => c.Metadata.Name).ToHashSet();
            foreach (var d in _desired.Values.Where(x => x.Namespace == ns))
            {
                var found = d.Kind == SoakKind.Validator ? validators.GetValueOrDefault(d.Name) : nodes.GetValueOrDefault(d.Name);
                var workload = d.Name + (d.Kind == SoakKind.Validator ? "-validator" : "-trainer");
                if (!d.Exists)
                {
                    if (found.Metadata is not null) wrong.Add($"{ns}/{d.Name}: deleted but still there");
                    if (deployments.Contains(workload) || claims.Contains(workload + "-cache")) wrong.Add($"{ns}/{d.Name}: deleted but its children are left");
                    continue;
                }

                var phase = d.Suspended ? Phase.Suspended : Phase.Running;
                if (found.Metadata is null) wrong.Add($"{ns}/{d.Name}: missing");
                else if (found.Item2?.Phase != phase || found.Item2.ObservedGeneration != found.Metadata.Generation)
                {
                    wrong.Add($"{ns}/{d.Name} ({d.Kind}): {found.Item2?.Phase} at generation {found.Item2?.ObservedGeneration}/{found.Metadata.Generation}, wanted {phase}");
                }

                if (d.Kind != SoakKind.Akash && !deployments.Contains(workload)) wrong.Add($"{ns}/{d.Name}: no Deployment");
                if (d.Kind == SoakKind.Akash && deployments.Contains(workload)) wrong.Add($"{ns}/{d.Name}: an Akash worker has an in-cluster Deployment");
            }

            // On chain: one open deployment per running Akash worker of the namespace's account, none for the others.
            var owner = world.Owners[ns];
            var open = (await world.ChainClient.ListDeploymentsAsync(owner, cancellationToken: ct)).Where(x => x.Deployment.State == DeploymentState.Active).Select(x => (long)x.Deployment.Id.Dseq).ToHashSet();
            var running = _desired.Values.Where(x => x.Namespace == ns && x.Kind == SoakKind.Akash && x.Exists && !x.Suspended)
                .Select(x => nodes.GetValueOrDefault(x.Name).Item2?.Akash?.Dseq).ToList();
            if (open.Count != running.Count || running.Any(dseq => dseq is null || !open.Contains(dseq.Value)))
            {
                wrong.Add($"{ns}: {open.Count} open deployments on chain for {running.Count} running Akash workers");
            }

            var sheet = world.Chain.BalanceSheet(owner);
            if (!sheet.Balances) wrong.Add($"{ns}: escrow books do not balance ({sheet})");
        }

        return (_desired.Count, wrong);
    }

    /// <summary>Takes what the API server holds for a resource as what was asked (after a write whose answer was lost).</summary>
    private async Task AdoptStoredAsync(Desired d)
    {
        for (var attempt = 0; attempt < 20; attempt++)
        {
            try
            {
                var kind = d.Kind == SoakKind.Validator ? FlockKinds.Validator.Resource : FlockKinds.TrainingNode.Resource;
                var stored = await rest.TryGetAsync<JsonObject>(kind, d.Namespace, d.Name, CancellationToken.None);
                var spec = stored?["spec"];
                var revision = spec?["env"]?.AsArray().FirstOrDefault()?["value"]?.GetValue<string>() is { } r ? int.Parse(r, System.Globalization.CultureInfo.InvariantCulture) : 0;
                _desired[(d.Namespace, d.Name)] = stored is null || stored["metadata"]?["deletionTimestamp"] is not null
                    ? d with { Exists = false }
                    : d with { Exists = true, Suspended = spec?["suspend"]?.GetValue<bool>() == true, Revision = revision };
                return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or KubeApiException)
            {
                await Task.Delay(250);
            }
        }
    }

    private async Task CreateAsync(Desired d, CancellationToken ct, string action = "create")
    {
        var kind = d.Kind == SoakKind.Validator ? FlockKinds.Validator.Resource : FlockKinds.TrainingNode.Resource;
        await rest.CreateAsync(kind, d.Namespace, SoakResources.Build(d, world), ct);
        _desired[(d.Namespace, d.Name)] = d;
        EverCreated++;
        Count(action);
    }

    private async Task PatchAsync(Desired d, JsonObject spec, string action)
    {
        var kind = d.Kind == SoakKind.Validator ? FlockKinds.Validator.Resource : FlockKinds.TrainingNode.Resource;
        await rest.MergePatchAsync<JsonObject>(kind, d.Namespace, d.Name, new JsonObject { ["spec"] = spec }, CancellationToken.None);
        _desired[(d.Namespace, d.Name)] = d;
        Count(action);
    }

    private async Task DeleteAsync(Desired d, CancellationToken ct)
    {
        var kind = d.Kind == SoakKind.Validator ? FlockKinds.Validator.Resource : FlockKinds.TrainingNode.Resource;
        await rest.DeleteAsync(kind, d.Namespace, d.Name, ct);
        _desired[(d.Namespace, d.Name)] = d with { Exists = false };
        Count("delete");
    }

    private void Count(string action) => _actions[action] = _actions.GetValueOrDefault(action) + 1;
}
