using Flock.Crds.V1Alpha1;
using Flock.KubectlPlugin.Kube;
using Flock.Operator.Workers;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Flock.KubectlPlugin.Logs;

/// <summary>
/// `kubectl flock logs NAME [--tail N] [-f]`: the worker's logs. In the cluster they come from the worker
/// pod through the API server; on Akash from the lease's provider (see <see cref="AkashLeaseLogs"/>).
/// </summary>
public static class LogsCommand
{
    public static async Task<int> RunAsync(KubeConnection connection, string reference, int? tail, bool follow, TextWriter output, TextWriter error, CancellationToken ct,
        string? akashNode = null, string akashChainId = "akashnet-2")
    {
        var resource = await new WorkerReader(connection).GetAsync(reference, connection.Namespace, ct);
        if (OnAkash(resource))
        {
            if (follow) await error.WriteLineAsync("--follow is not supported for Akash workers; showing the latest lines.");
            return await AkashLeaseLogs.WriteAsync(connection, resource, akashNode, akashChainId, tail, output, ct);
        }

        using var client = connection.Client();
        var pod = await NewestPodAsync(client, resource, ct);
        var container = pod.Spec.Containers[0].Name;
        try
        {
            await using var stream = await client.CoreV1.ReadNamespacedPodLogAsync(pod.Metadata.Name, resource.Namespace, container,
                follow: follow, tailLines: tail, cancellationToken: ct);
            using var reader = new StreamReader(stream);
            var buffer = new char[8192];
            int read;
            while ((read = await reader.ReadAsync(buffer, ct)) > 0)
            {
                await output.WriteAsync(buffer.AsMemory(0, read), ct);
                if (follow) await output.FlushAsync(ct);
            }
        }
        catch (HttpOperationException e)
        {
            throw new PluginException($"reading the logs of pod {resource.Namespace}/{pod.Metadata.Name} failed ({(int)e.Response.StatusCode}): {e.Response.Content}");
        }

        return 0;
    }

    private static bool OnAkash(WorkerResource resource) =>
        resource.Status?.Workload?.Backend == Backend.Akash
        || (resource.Status?.Workload?.Backend is null && resource.Spec.Placement.Mode == PlacementMode.Akash);

    /// <summary>The worker's pod: the Deployment's, or the latest run of a scheduled worker; the newest when several exist.</summary>
    private static async Task<V1Pod> NewestPodAsync(Kubernetes client, WorkerResource resource, CancellationToken ct)
    {
        var selector = string.Join(',', WorkerLabels.Selector(resource.Profile).Select(l => $"{l.Key}={l.Value}"));
        V1PodList pods;
        try
        {
            pods = await client.CoreV1.ListNamespacedPodAsync(resource.Namespace, labelSelector: selector, cancellationToken: ct);
        }
        catch (HttpOperationException e)
        {
            throw new PluginException($"listing the pods of {resource.Namespace}/{resource.Name} failed ({(int)e.Response.StatusCode}): {e.Response.Content}");
        }

        return pods.Items
            .Where(p => p.Metadata.DeletionTimestamp is null)
            .OrderByDescending(p => p.Status?.Phase == "Running")
            .ThenByDescending(p => p.Metadata.CreationTimestamp)
            .FirstOrDefault()
            ?? throw new PluginException($"{resource.Kind} {resource.Namespace}/{resource.Name} has no worker pod yet (phase {resource.Status?.Phase?.ToString() ?? "unknown"}).");
    }
}
