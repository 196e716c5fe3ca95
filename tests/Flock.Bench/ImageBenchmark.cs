using System.Diagnostics;
using System.Globalization;
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
/// Issue 10's shipping figures for the build that goes into the image (deploy/image/publish.sh): publish time and
/// size, cold start (process start → /readyz 200 against the sandbox) and the process's memory after reconciling
/// N training nodes to Running.
/// </summary>
internal static class ImageBenchmark
{
    public static async Task RunAsync(int resources, int starts = 5)
    {
        var root = Flock.Testing.RepositoryRoot.Path;
        // BENCH_PUBLISHED=<dir> measures another build (say a ReadyToRun one) instead of publishing the image's.
        var output = Environment.GetEnvironmentVariable("BENCH_PUBLISHED") ?? Path.Combine(root, "artifacts", "flock-operator");
        var report = new Report($"Image build ({output}): cold start and memory of the published operator, {resources:N0} training nodes");
        if (Environment.GetEnvironmentVariable("BENCH_PUBLISHED") is null)
        {
            var publish = Stopwatch.StartNew();
            var published = Process.Start(new ProcessStartInfo(Path.Combine(root, "deploy", "image", "publish.sh")) { ArgumentList = { output }, RedirectStandardOutput = true })!;
            await published.StandardOutput.ReadToEndAsync();
            await published.WaitForExitAsync();
            if (published.ExitCode != 0) throw new InvalidOperationException($"publish.sh exited {published.ExitCode}");
            report.Add("publish (incremental: restore and build of unchanged projects are skipped)", publish.Elapsed.TotalSeconds, "s");
        }

        var files = new DirectoryInfo(output).GetFiles("*", SearchOption.AllDirectories);
        report.Add("published size", $"{files.Sum(f => f.Length) / 1024.0 / 1024.0:N1} MiB in {files.Length} files");
        var binary = Path.Combine(output, "flock-operator");

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
        const string ns = "image";
        await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = ns } });
        await client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new V1ObjectMeta { Name = "flock" }, StringData = new Dictionary<string, string> { ["api-key"] = "k" } }, ns);
        await client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new V1ObjectMeta { Name = "hf" }, StringData = new Dictionary<string, string> { ["username"] = "u", ["token"] = "t" } }, ns);
        var kubeconfig = sandbox.Server.WriteKubeconfig(Path.Combine(Path.GetTempPath(), $"flock-bench-image-{Environment.ProcessId}.kubeconfig"));
        string[] Args(int health) =>
        [
            "--kubeconfig", kubeconfig, "--leader-elect", "false", "--bind-address", "127.0.0.1",
            "--health-port", health.ToString(CultureInfo.InvariantCulture), "--metrics-port", "0", "--Logging:LogLevel:Default=Warning",
            $"--Flock:ApiBaseUrl={flockApi.BaseUrl}", $"--Staking:RpcUrl={evm.RpcUrl}", $"--Staking:ChainId={evm.ChainId}",
            $"--Staking:TaskManager={evm.TaskManagerAddress}", "--Staking:Confirmations=0",
        ];

        // Cold start: a fresh process each time, no resources yet (informers list empty collections).
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var coldStarts = new List<double>();
        for (var i = 0; i < starts; i++)
        {
            var port = FreePort();
            var clock = Stopwatch.StartNew();
            using var process = Start(binary, Args(port));
            await WaitAsync(async () => (await http.GetAsync($"http://127.0.0.1:{port}/readyz")).IsSuccessStatusCode, TimeSpan.FromMinutes(1), pollMs: 5);
            coldStarts.Add(clock.Elapsed.TotalMilliseconds);
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        coldStarts.Sort();
        report.Add($"cold start: process start → /readyz 200 (median of {starts})", Report.Percentile(coldStarts, 50), "ms");
        report.Add("cold start: fastest / slowest", $"{coldStarts[0]:N0} / {coldStarts[^1]:N0} ms");

        var healthPort = FreePort();
        using var op = Start(binary, Args(healthPort));
        await WaitAsync(async () => (await http.GetAsync($"http://127.0.0.1:{healthPort}/readyz")).IsSuccessStatusCode, TimeSpan.FromMinutes(1));
        op.Refresh();
        report.Add("RSS ready, no resources", $"{op.WorkingSet64 / 1024.0 / 1024.0:N0} MiB");
        var rest = Flock.Operator.OperatorClient.Create(client);
        await Parallel.ForEachAsync(Enumerable.Range(0, resources), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
            await rest.CreateAsync(FlockKinds.TrainingNode.Resource, ns, Node(ns, $"n{i}", evm.Accounts[1].Address), ct));
        await WaitAsync(async () =>
            (await rest.ListAsync<FlockTrainingNode>(FlockKinds.TrainingNode.Resource, ns, new Flock.Operator.Runtime.Client.ListOptions(), CancellationToken.None)).Items
                .Count(n => n.Status?.Phase == Phase.Running) == resources, TimeSpan.FromMinutes(20));
        op.Refresh();
        report.Add($"RSS after {resources:N0} resources Running", $"{op.WorkingSet64 / 1024.0 / 1024.0:N0} MiB now, {PeakRssMiB(op.Id):N0} MiB peak");
        report.Print();
        op.Kill(entireProcessTree: true);
        File.Delete(kubeconfig);
    }

    private static Process Start(string binary, string[] args)
    {
        var info = new ProcessStartInfo(binary) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) info.ArgumentList.Add(a);
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
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
