using System.Net;
using Flock.Crds.V1Alpha1;
using Flock.Operator.Runtime.Client;
using Flock.Operator.Workers;

namespace Flock.KubectlPlugin.Kube;

/// <summary>Reads FlockTrainingNodes and FlockValidators through the API server, with errors a user can act on.</summary>
public sealed class WorkerReader(KubeConnection connection)
{
    private const int PageSize = 500;
    private readonly KubeRestClient _client = new(connection.Client(), "kubectl-flock", Flock.Operator.OperatorClient.Json);

    /// <summary>Every resource of both kinds in a namespace, or in all namespaces when it is null.</summary>
    public async Task<IReadOnlyList<WorkerResource>> ListAsync(string? @namespace, CancellationToken ct)
    {
        var nodes = await ListAllAsync<FlockTrainingNode>(FlockKinds.TrainingNode.Resource, @namespace, ct);
        var validators = await ListAllAsync<FlockValidator>(FlockKinds.Validator.Resource, @namespace, ct);
        return nodes.Select(WorkerResource.Of).Concat(validators.Select(WorkerResource.Of)).ToList();
    }

    /// <summary>
    /// One resource by reference: NAME (either kind; refused when both kinds have it), or KIND/NAME with
    /// KIND one of ftn, flocktrainingnode(s), fv, flockvalidator(s) (as kubectl accepts them).
    /// </summary>
    public async Task<WorkerResource> GetAsync(string reference, string @namespace, CancellationToken ct)
    {
        var (kind, name) = Parse(reference);
        var node = kind is null or FlockTrainingNode.KindName
            ? await GetAsync<FlockTrainingNode>(FlockKinds.TrainingNode.Resource, @namespace, name, ct)
            : null;
        var validator = kind is null or FlockValidator.KindName
            ? await GetAsync<FlockValidator>(FlockKinds.Validator.Resource, @namespace, name, ct)
            : null;
        return (node, validator) switch
        {
            ({ } n, null) => WorkerResource.Of(n),
            (null, { } v) => WorkerResource.Of(v),
            (not null, not null) => throw new PluginException(
                $"both a FlockTrainingNode and a FlockValidator are named {name} in namespace {@namespace}: say which, ftn/{name} or fv/{name}"),
            _ => throw new PluginException(kind is null
                ? $"no FlockTrainingNode or FlockValidator named {name} in namespace {@namespace}"
                : $"no {kind} named {name} in namespace {@namespace}"),
        };
    }

    private static (string? Kind, string Name) Parse(string reference)
    {
        var slash = reference.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0) return (null, reference);
        var kind = reference[..slash].ToLowerInvariant() switch
        {
            "ftn" or "flocktrainingnode" or "flocktrainingnodes" or "flocktrainingnode.flock.io" or "flocktrainingnodes.flock.io" => FlockTrainingNode.KindName,
            "fv" or "flockvalidator" or "flockvalidators" or "flockvalidator.flock.io" or "flockvalidators.flock.io" => FlockValidator.KindName,
            _ => throw new PluginException($"{reference[..slash]} is not a FLock kind: use ftn/NAME or fv/NAME"),
        };
        var name = reference[(slash + 1)..];
        return name.Length > 0 ? (kind, name) : throw new PluginException($"{reference} names no resource");
    }

    private async Task<IReadOnlyList<T>> ListAllAsync<T>(ResourceKind kind, string? @namespace, CancellationToken ct)
    {
        var items = new List<T>();
        string? next = null;
        do
        {
            var page = await Call(kind, @namespace, () => _client.ListAsync<T>(kind, @namespace, new ListOptions(Limit: PageSize, Continue: next), ct));
            items.AddRange(page.Items);
            next = page.Continue;
        }
        while (!string.IsNullOrEmpty(next));

        return items;
    }

    private Task<T?> GetAsync<T>(ResourceKind kind, string @namespace, string name, CancellationToken ct) where T : class =>
        Call(kind, @namespace, () => _client.TryGetAsync<T>(kind, @namespace, name, ct));

    private async Task<T> Call<T>(ResourceKind kind, string? @namespace, Func<Task<T>> call)
    {
        var where = @namespace is null ? "in all namespaces" : $"in namespace {@namespace}";
        try
        {
            return await call();
        }
        catch (KubeApiException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            throw new PluginException($"the server does not serve {kind.Plural}.{kind.Group}: are flock-operator's CRDs installed?");
        }
        catch (KubeApiException e) when (e.StatusCode == HttpStatusCode.Forbidden)
        {
            throw new PluginException($"not allowed to read {kind.Plural}.{kind.Group} {where}: {e.Status?.Message ?? e.Message}");
        }
        catch (KubeApiException e)
        {
            throw new PluginException($"reading {kind.Plural}.{kind.Group} {where} failed ({(int)e.StatusCode}): {e.Status?.Message ?? e.Message}");
        }
        catch (HttpRequestException e)
        {
            throw new PluginException($"cannot reach the API server {connection.Configuration.Host}: {e.Message}");
        }
    }
}
