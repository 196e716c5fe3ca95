using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Flock.Crds.V1Alpha1;
using Flock.Operator.Runtime.Client;
using Flock.Operator.Workers;
using Flock.Sandbox.ApiServer.Machinery;
using Flock.Sandbox.Cluster;
using Flock.Sandbox.Evm;
using Flock.Sandbox.FlockApi;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using static Flock.Bench.BenchProbes;

namespace Flock.Bench;

/// <summary>
/// Issue 6's figures: N training nodes applied at once to the real operator binary (a child process,
/// so its memory is its own) on a simulated cluster with enough GPUs, until every one is Running.
/// </summary>
internal static partial class OperatorBenchmark
{
    public static async Task RunAsync(int resources)
    {
        await using var sandbox = await BenchSandbox.StartAsync();
        var client = sandbox.Client();
        var nodes = Enumerable.Range(0, (resources + 7) / 8)
            .Select(i => new NodeSpec($"gpu-{i}", "a3-highgpu-8g", "208", "1872Gi", 8, "NVIDIA-H100-80GB-HBM3", 81559)).ToList();
        await using var cluster = await SimulatedCluster.StartAsync(client, new ClusterOptions { Nodes = nodes }, NullLoggerFactory.Instance, new LogSink(sandbox.Server.Logs));
        await using var flockApi = await FlockApiSimulator.StartAsync();
        flockApi.AddTask(SimulatedTask.Open(12, DateTimeOffset.UtcNow, TimeSpan.FromDays(1), TimeSpan.FromDays(1)));
        await using var evm = await EvmSandbox.StartAsync();
        await evm.CreateTaskAsync(12);
        await evm.MintAsync(evm.Accounts[1].Address, 10_000 * EvmSandbox.OneToken);
        await evm.StakeAsNodeAsync(evm.Accounts[1], 12, 3000 * EvmSandbox.OneToken);
        await RuntimeBenchmark.InstallCrdsAsync(client);
        const string ns = "bench";
        await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = ns } });
        await client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new V1ObjectMeta { Name = "flock" }, StringData = new Dictionary<string, string> { ["api-key"] = "k" } }, ns);
        await client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new V1ObjectMeta { Name = "hf" }, StringData = new Dictionary<string, string> { ["username"] = "u", ["token"] = "t" } }, ns);

        var kubeconfig = Path.Combine(Path.GetTempPath(), $"flock-bench-{Environment.ProcessId}.kubeconfig");
        sandbox.Server.WriteKubeconfig(kubeconfig);
        var metricsPort = FreePort();
        using var op = StartOperator(kubeconfig, metricsPort, flockApi.BaseUrl, evm);
        using var http = new HttpClient();
        var metricsUrl = $"http://127.0.0.1:{metricsPort}/metrics";
        await WaitAsync(async () => (await http.GetAsync($"http://127.0.0.1:{metricsPort}/readyz")).IsSuccessStatusCode, TimeSpan.FromMinutes(1));
        var requestsAtStart = Requests(await http.GetStringAsync(metricsUrl));

        var rest = Flock.Operator.OperatorClient.Create(client);
        var report = new Report($"Operator: {resources:N0} training nodes applied at once → Running (operator binary as a child process, {nodes.Count} simulated 8-GPU nodes)");
        var wall = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, resources), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
            await rest.CreateAsync(FlockKinds.TrainingNode.Resource, ns, Node(ns, $"n{i}", evm.Accounts[1].Address), ct));
        var applied = wall.Elapsed;
        report.Add("raw KubernetesClient creates of the resources (the limit, same run)", resources / applied.TotalSeconds, "writes/s");
        await WaitAsync(async () =>
            (await rest.ListAsync<FlockTrainingNode>(FlockKinds.TrainingNode.Resource, ns, new Flock.Operator.Runtime.Client.ListOptions(), CancellationToken.None)).Items
                .Count(n => n.Status?.Phase == Phase.Running) == resources, TimeSpan.FromMinutes(20));
        wall.Stop();
        report.Add($"apply → all {resources:N0} Running", wall.Elapsed.TotalSeconds, "s");
        report.Add("resources Running per second", resources / wall.Elapsed.TotalSeconds, "/s");

        var afterReady = Requests(await http.GetStringAsync(metricsUrl));
        report.Add("API requests by the operator per resource (to Running)", $"{(afterReady.Total - requestsAtStart.Total) / (double)resources:N1} ({(afterReady.Writes - requestsAtStart.Writes) / (double)resources:N1} writes)");
        await Task.Delay(TimeSpan.FromSeconds(5));
        var settled = Requests(await http.GetStringAsync(metricsUrl));
        await Task.Delay(TimeSpan.FromSeconds(25));
        var steady = Requests(await http.GetStringAsync(metricsUrl));
        report.Add("operator writes in 25 s of steady state (resync every 10 s)", $"{steady.Writes - settled.Writes}");
        op.Refresh();
        report.Add("operator RSS", $"{op.WorkingSet64 / 1024.0 / 1024.0:N0} MiB now, {PeakRssMiB(op.Id):N0} MiB peak");
        report.Print();
        op.Kill(entireProcessTree: true);
        File.Delete(kubeconfig);
    }

    private static Process StartOperator(string kubeconfig, int port, string flockApi, EvmSandbox evm)
    {
        var root = Flock.Testing.RepositoryRoot.Path;
        var dll = Path.Combine(root, "src", "Operator", "Flock.Operator", "bin", "Release", "net10.0", "flock-operator.dll");
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            ArgumentList =
            {
                dll, "--kubeconfig", kubeconfig, "--leader-elect", "false", "--bind-address", "127.0.0.1",
                "--health-port", FreePort().ToString(CultureInfo.InvariantCulture), "--metrics-port", port.ToString(CultureInfo.InvariantCulture),
                "--workers", "4", "--Operator:ResyncSeconds=10", "--Logging:LogLevel:Default=Warning",
                $"--Flock:ApiBaseUrl={flockApi}", $"--Staking:RpcUrl={evm.RpcUrl}", $"--Staking:ChainId={evm.ChainId}",
                $"--Staking:TaskManager={evm.TaskManagerAddress}", "--Staking:Confirmations=0",
            },
        };
        var process = Process.Start(info)!;
        var log = Path.Combine(Path.GetTempPath(), $"flock-bench-operator-{process.Id}.log");
        Console.WriteLine($"operator log: {log}");
        var writer = new StreamWriter(log) { AutoFlush = true };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (writer) writer.WriteLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (writer) writer.WriteLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static FlockTrainingNode Node(string ns, string name, string address) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
        Spec = new FlockTrainingNodeSpec
        {
            TaskId = 12,
            Credentials = new Credentials { FlockApiKey = new SecretKeySelector { Name = "flock", Key = "api-key" }, HuggingFace = new HuggingFaceCredentials { SecretName = "hf" } },
            Staking = new StakingSpec { Address = address },
            Resources = new WorkerResources { Gpu = new GpuSpec { Count = 1 }, Cpu = "8", Memory = "24Gi" },
        },
    };

    private sealed class LogSink(LogStore logs) : IPodLogSink
    {
        public void Append(string ns, string pod, string container, string line, DateTimeOffset at) => logs.Append(ns, pod, container, line, at);
    }
}
