// flock-evm: the sandbox chain from the command line (for `make stake` and the demo).
//
//   flock-evm up [--port 8545] [--block-time 1] [--tasks 1,2] [--mint 100000] [--state-file .sandbox/evm.json]
//       Starts ganache with the sandbox contracts, creates the tasks, mints gmFLOCK to every account, writes the
//       chain's settings and the sandbox account keys to the state file (mode 0600; keys are never printed),
//       prints the settings (without keys) and runs until Ctrl-C / SIGTERM.
//   flock-evm stake    --rpc URL --contract ADDR --key-file F --task N --amount 3000 --role node|validator [--chain-id 8453]
//   flock-evm withdraw --rpc URL --contract ADDR --key-file F --task N --role node|validator [--chain-id 8453]
//   flock-evm finish   --rpc URL --contract ADDR --key-file F --task N [--chain-id 8453]     (owner key)
//   flock-evm create   --rpc URL --contract ADDR --key-file F --task N [--chain-id 8453]     (owner key)
//
// The key comes from --key-file (a file holding one 0x-hex key, or the state file of `up` with --account I)
// or from $FLOCK_SANDBOX_KEY; never from the command line, where `ps` would show it.
using System.Globalization;
using System.Numerics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Flock.Sandbox.Evm;

return await Cli.RunAsync(args);

internal static class Cli
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            Console.WriteLine("usage: flock-evm up|stake|withdraw|finish|create [options] (see the header of Program.cs)");
            return args.Length == 0 ? 2 : 0;
        }

        try
        {
            var options = Parse(args.AsSpan(1));
            return args[0] switch
            {
                "up" => await UpAsync(options),
                "stake" => await SendAsync(options, (c, o, ct) => c.StakeAsync(o.Contract, o.Token!, o.Role, o.Task, o.Amount, ct), needsToken: true),
                "withdraw" => await SendAsync(options, (c, o, ct) => c.WithdrawAsync(o.Contract, o.Role, o.Task, ct)),
                "finish" => await SendAsync(options, (c, o, ct) =>
                    c.SendAsync(o.Contract, CompiledContract.FlockTaskManager, "finishTask", ct, new BigInteger(o.Task))),
                "create" => await SendAsync(options, (c, o, ct) =>
                    c.SendAsync(o.Contract, CompiledContract.FlockTaskManager, "createTask", ct, new BigInteger(o.Task), new BigInteger(30 * 86400), $"sandbox task {o.Task}")),
                _ => throw new ArgumentException($"unknown command '{args[0]}'"),
            };
        }
        catch (Exception e) when (e is ArgumentException or FormatException or EvmTransactionException or FileNotFoundException or InvalidOperationException or TimeoutException)
        {
            Console.Error.WriteLine($"flock-evm: {e.Message}");
            return 1;
        }
    }

    private static async Task<int> UpAsync(Dictionary<string, string> o)
    {
        var stateFile = o.GetValueOrDefault("state-file", Path.Combine(".sandbox", "evm.json"));
        var sandboxOptions = new EvmSandboxOptions
        {
            Port = o.TryGetValue("port", out var port) ? int.Parse(port, CultureInfo.InvariantCulture) : null,
            BlockTimeSeconds = o.TryGetValue("block-time", out var bt) ? double.Parse(bt, CultureInfo.InvariantCulture) : 1,
        };
        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };
        using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(
            System.Runtime.InteropServices.PosixSignal.SIGTERM, ctx => { ctx.Cancel = true; stop.Cancel(); });

        await using var sandbox = await EvmSandbox.StartAsync(sandboxOptions, stop.Token);
        var mint = o.TryGetValue("mint", out var m) ? BigInteger.Parse(m, CultureInfo.InvariantCulture) * EvmSandbox.OneToken : 100_000 * EvmSandbox.OneToken;
        foreach (var account in sandbox.Accounts)
        {
            await sandbox.MintAsync(account.Address, mint, stop.Token);
        }

        var tasks = o.TryGetValue("tasks", out var t)
            ? t.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(s => long.Parse(s, CultureInfo.InvariantCulture)).ToArray()
            : [1L];
        foreach (var task in tasks)
        {
            await sandbox.CreateTaskAsync(task, cancellationToken: stop.Token);
        }

        WriteState(stateFile, sandbox, tasks);
        Console.WriteLine($"rpcUrl:      {sandbox.RpcUrl}");
        Console.WriteLine($"chainId:     {sandbox.ChainId}");
        Console.WriteLine($"taskManager: {sandbox.TaskManagerAddress}");
        Console.WriteLine($"gmFLOCK:     {sandbox.TokenAddress}");
        Console.WriteLine($"tasks:       {string.Join(",", tasks)}");
        for (var i = 0; i < sandbox.Accounts.Count; i++)
        {
            Console.WriteLine($"account {i}:   {sandbox.Accounts[i].Address}{(i == 0 ? " (owner)" : "")}");
        }

        Console.WriteLine($"keys and settings: {Path.GetFullPath(stateFile)} (sandbox keys, mode 0600). Ctrl-C stops the chain.");
        try
        {
            await Task.Delay(Timeout.Infinite, stop.Token);
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }

        return 0;
    }

    private static void WriteState(string path, EvmSandbox sandbox, long[] tasks)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(dir);
        var accounts = new JsonArray();
        foreach (var a in sandbox.Accounts)
        {
            accounts.Add(new JsonObject { ["address"] = a.Address, ["privateKey"] = a.PrivateKey });
        }

        var json = new JsonObject
        {
            ["rpcUrl"] = sandbox.RpcUrl,
            ["chainId"] = sandbox.ChainId,
            ["taskManager"] = sandbox.TaskManagerAddress,
            ["token"] = sandbox.TokenAddress,
            ["tasks"] = new JsonArray([.. tasks.Select(t => (JsonNode)t)]),
            ["accounts"] = accounts,
        };
        var tmp = path + ".tmp";
        var fileOptions = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            fileOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        File.Delete(tmp); // UnixCreateMode applies only when the file is created
        using (var stream = new FileStream(tmp, fileOptions))
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteTo(writer);
        }

        File.Move(tmp, path, overwrite: true);
    }

    private sealed record Common(string Rpc, long ChainId, string Contract, string Key, long Task, BigInteger Amount, SandboxRole Role)
    {
        public string? Token { get; set; }
    }

    private static async Task<int> SendAsync(
        Dictionary<string, string> o, Func<ChainClient, Common, CancellationToken, Task<EvmTransaction>> send, bool needsToken = false)
    {
        var common = new Common(
            Required(o, "rpc"),
            o.TryGetValue("chain-id", out var c) ? long.Parse(c, CultureInfo.InvariantCulture) : 8453,
            Required(o, "contract"),
            LoadKey(o),
            long.Parse(Required(o, "task"), CultureInfo.InvariantCulture),
            o.TryGetValue("amount", out var amount) ? ParseTokens(amount) : BigInteger.Zero,
            o.GetValueOrDefault("role", "node") switch
            {
                "node" => SandboxRole.Node,
                "validator" => SandboxRole.Validator,
                var r => throw new ArgumentException($"--role must be node or validator, not '{r}'"),
            });
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        using var client = new ChainClient(common.Rpc, common.ChainId, common.Key, TimeSpan.FromMilliseconds(200), TimeSpan.FromMinutes(2));
        if (needsToken)
        {
            common.Token = await client.StakeTokenOfAsync(common.Contract, timeout.Token);
        }

        var tx = await send(client, common, timeout.Token);
        Console.WriteLine($"{client.Address}: transaction {tx.Hash} mined in block {tx.Block}");
        return 0;
    }

    private static string LoadKey(Dictionary<string, string> o)
    {
        if (o.TryGetValue("key-file", out var file))
        {
            var text = File.ReadAllText(file).Trim();
            if (text.StartsWith('{'))
            {
                var index = int.Parse(o.GetValueOrDefault("account", "1"), CultureInfo.InvariantCulture);
                var node = JsonNode.Parse(text)?["accounts"]?[index]?["privateKey"]?.GetValue<string>();
                return node ?? throw new ArgumentException($"{file} has no accounts[{index}].privateKey");
            }

            return text;
        }

        return Environment.GetEnvironmentVariable("FLOCK_SANDBOX_KEY") is { Length: > 0 } key
            ? key
            : throw new ArgumentException("no key: pass --key-file FILE (a 0x key, or the state file of `flock-evm up` with --account I) or set FLOCK_SANDBOX_KEY");
    }

    /// <summary>"3000" or "0.5" tokens (18 decimals) to wei, exactly.</summary>
    private static BigInteger ParseTokens(string text)
    {
        var parts = text.Split('.');
        if (parts.Length > 2 || parts[0].Length == 0 || !parts.All(p => p.All(char.IsAsciiDigit)) || (parts.Length == 2 && (parts[1].Length is 0 or > 18)))
        {
            throw new FormatException($"--amount '{text}' is not a token amount such as 3000 or 0.5");
        }

        var whole = BigInteger.Parse(parts[0], CultureInfo.InvariantCulture) * EvmSandbox.OneToken;
        return parts.Length == 1 ? whole : whole + BigInteger.Parse(parts[1].PadRight(18, '0'), CultureInfo.InvariantCulture);
    }

    private static string Required(Dictionary<string, string> o, string name) =>
        o.TryGetValue(name, out var v) ? v : throw new ArgumentException($"--{name} is required");

    private static Dictionary<string, string> Parse(ReadOnlySpan<string> args)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                throw new ArgumentException($"expected --name value, got '{args[i]}'");
            }

            if (args[i] == "--key")
            {
                throw new ArgumentException("--key would show the key in `ps`: use --key-file or FLOCK_SANDBOX_KEY");
            }

            result[args[i][2..]] = args[++i];
        }

        return result;
    }
}
