using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Flock.Sandbox.ApiServer;

// flock-sandbox: runs the sandbox API server until SIGINT/SIGTERM. Detached-friendly: reads no stdin,
// writes <dir>/kubeconfig (admin), <dir>/ca.crt and <dir>/endpoints.json once it serves, and removes
// endpoints.json when it stops.
//   --dir <path>            state directory (default: .sandbox under the current directory)
//   --port <n>              port on 127.0.0.1 (default 0: a free one)
//   --bookmark-seconds <n>  interval between watch bookmarks (default 2)
//   --history <n>           watch history events kept per resource (default 10000)
//   --demo                  also run a simulated cluster (2 GPU nodes, 1 CPU node), the FLock API and a
//                           ganache chain with the task manager; their addresses go into endpoints.json
var dir = Path.GetFullPath(".sandbox");
var options = new SandboxOptions { PublishRootCaConfigMap = true };
var demo = false;
for (var i = 0; i < args.Length; i++)
{
    string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
    switch (args[i])
    {
        case "--dir": dir = Path.GetFullPath(Next()); break;
        case "--port": options = options with { Port = int.Parse(Next(), CultureInfo.InvariantCulture) }; break;
        case "--bookmark-seconds": options = options with { BookmarkInterval = TimeSpan.FromSeconds(double.Parse(Next(), CultureInfo.InvariantCulture)) }; break;
        case "--history": options = options with { HistorySize = int.Parse(Next(), CultureInfo.InvariantCulture) }; break;
        case "--demo": demo = true; break;
        case "-h" or "--help":
            Console.WriteLine("usage: flock-sandbox [--dir .sandbox] [--port 0] [--bookmark-seconds 2] [--history 10000] [--demo]");
            return 0;
        default:
            Console.Error.WriteLine($"unknown argument {args[i]}");
            return 2;
    }
}

Directory.CreateDirectory(dir);
var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, ctx => { ctx.Cancel = true; stop.TrySetResult(); });
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, ctx => { ctx.Cancel = true; stop.TrySetResult(); });

await using var server = await SandboxApiServer.StartAsync(options);
var kubeconfig = server.WriteKubeconfig(Path.Combine(dir, "kubeconfig"));
var caFile = Path.Combine(dir, "ca.crt");
await File.WriteAllTextAsync(caFile, server.CaCertificatePem);
var endpoints = new JsonObject
{
    ["url"] = server.Url,
    ["port"] = server.Port,
    ["kubeconfig"] = kubeconfig,
    ["caFile"] = caFile,
    ["adminToken"] = server.AdminToken,
    ["faultsUrl"] = $"{server.Url}/_sandbox/faults",
    ["pid"] = Environment.ProcessId,
};
await using var world = demo ? await Flock.Sandbox.Host.DemoWorld.StartAsync(server, dir) : null;
world?.Describe(endpoints);
var endpointsFile = Path.Combine(dir, "endpoints.json");
var temp = endpointsFile + ".tmp";
await File.WriteAllTextAsync(temp, endpoints.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
File.Move(temp, endpointsFile, overwrite: true);
Console.WriteLine($"sandbox API server at {server.Url}; kubeconfig {kubeconfig}");

await stop.Task;
File.Delete(endpointsFile);
return 0;
