using Flock.KubectlPlugin.Kube;

namespace Flock.KubectlPlugin.Status;

/// <summary>`kubectl flock status [-n NS | -A]`: every FlockTrainingNode and FlockValidator, one line each.</summary>
public static class StatusCommand
{
    public static async Task<int> RunAsync(KubeConnection connection, bool allNamespaces, TextWriter output, CancellationToken ct)
    {
        var scope = allNamespaces ? null : connection.Namespace;
        var resources = await new WorkerReader(connection).ListAsync(scope, ct);
        if (resources.Count == 0)
        {
            await output.WriteLineAsync(allNamespaces
                ? "No FlockTrainingNode or FlockValidator found in any namespace."
                : $"No FlockTrainingNode or FlockValidator found in namespace {connection.Namespace}.");
            return 0;
        }

        var rows = resources
            .OrderBy(r => r.Namespace, StringComparer.Ordinal).ThenBy(r => r.Name, StringComparer.Ordinal).ThenBy(r => r.Kind, StringComparer.Ordinal)
            .Select(r => StatusRow.From(r).Cells);
        await output.WriteAsync(TextTable.Render(StatusRow.Headers, rows.ToList()));
        return 0;
    }
}
