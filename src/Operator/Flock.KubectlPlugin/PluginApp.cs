using System.CommandLine;
using Flock.KubectlPlugin.Kube;
using Flock.KubectlPlugin.Logs;
using Flock.KubectlPlugin.Sdl;
using Flock.KubectlPlugin.Status;

namespace Flock.KubectlPlugin;

/// <summary>
/// The commands of kubectl-flock and their flags, the ones kubectl users know: --kubeconfig, --context,
/// -n/--namespace (anywhere on the line), -A/--all-namespaces.
/// </summary>
public static class PluginApp
{
    /// <summary>Runs one command line; returns the exit code (0 ok, 1 an error printed as "error: …").</summary>
    public static Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken ct = default) =>
        Build(output, error).Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error, ProcessTerminationTimeout = null }, ct);

    private static RootCommand Build(TextWriter output, TextWriter error)
    {
        var kubeconfig = new Option<string?>("--kubeconfig") { Description = "Path of the kubeconfig file (default: $KUBECONFIG, then ~/.kube/config)", Recursive = true };
        var context = new Option<string?>("--context") { Description = "The kubeconfig context to use (default: its current context)", Recursive = true };
        var @namespace = new Option<string?>("--namespace", "-n") { Description = "Namespace (default: the context's namespace, then default)", Recursive = true };
        var allNamespaces = new Option<bool>("--all-namespaces", "-A") { Description = "List resources in every namespace" };
        var name = new Argument<string>("NAME") { Description = "The resource: NAME, or ftn/NAME or fv/NAME when both kinds use the name" };
        var tail = new Option<int?>("--tail") { Description = "Lines of recent log to show (default: all)" };
        var follow = new Option<bool>("--follow", "-f") { Description = "Keep streaming the log" };

        async Task<int> Run(ParseResult result, Func<KubeConnection, Task<int>> command)
        {
            try
            {
                return await command(KubeConnection.Open(result.GetValue(kubeconfig), result.GetValue(context), result.GetValue(@namespace)));
            }
            catch (PluginException e)
            {
                await error.WriteLineAsync("error: " + e.Message);
                return 1;
            }
        }

        var status = new Command("status", "Table of every FlockTrainingNode and FlockValidator: phase, task, stake, backend, Akash provider, price, escrow and time until it drains");
        status.Options.Add(allNamespaces);
        status.SetAction((result, ct) => Run(result, connection => StatusCommand.RunAsync(connection, result.GetValue(allNamespaces), output, ct)));

        var sdl = new Command("sdl", "The Akash SDL the operator deploys for an Akash or Auto resource (secret values shown as <secret NAME/KEY>)");
        sdl.Arguments.Add(name);
        sdl.SetAction((result, ct) => Run(result, connection => SdlCommand.RunAsync(connection, result.GetValue(name)!, output, error, ct)));

        var akashNode = new Option<string?>("--akash-node") { Description = "gRPC URL of an Akash node, to find an Akash worker's provider (default: $AKASH_GRPC_URL)" };
        var akashChainId = new Option<string>("--akash-chain-id") { Description = "Chain id of that node", DefaultValueFactory = _ => "akashnet-2" };
        var logs = new Command("logs", "Logs of the worker: its pod's in the cluster, its lease's from the provider on Akash (reads the account Secret to sign the request)");
        logs.Arguments.Add(name);
        logs.Options.Add(tail);
        logs.Options.Add(follow);
        logs.Options.Add(akashNode);
        logs.Options.Add(akashChainId);
        logs.SetAction((result, ct) => Run(result, connection => result.GetValue(tail) is < 0
            ? throw new PluginException("--tail must be 0 or more")
            : LogsCommand.RunAsync(connection, result.GetValue(name)!, result.GetValue(tail), result.GetValue(follow), output, error, ct,
                result.GetValue(akashNode), result.GetValue(akashChainId)!)));

        var root = new RootCommand("kubectl flock: FLock training nodes and validators run by flock-operator") { status, sdl, logs };
        root.Options.Add(kubeconfig);
        root.Options.Add(context);
        root.Options.Add(@namespace);
        return root;
    }
}
