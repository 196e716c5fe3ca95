using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Numerics;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Nethereum.Hex.HexTypes;
using Nethereum.JsonRpc.Client;
using Nethereum.Signer;
using Nethereum.Util;
using Nethereum.Web3;

namespace Flock.Sandbox.Evm;

/// <summary>
/// A local EVM chain for tests and demos: ganache as a child process on 127.0.0.1 (chain id 8453 by default),
/// with the sandbox gmFLOCK token and FlockTaskManager deployed by account 0. Dispose it to stop ganache.
/// </summary>
public sealed partial class EvmSandbox : IAsyncDisposable
{
    /// <summary>gmFLOCK has 18 decimals: one token is 10^18 wei.</summary>
    public static readonly BigInteger OneToken = BigInteger.Pow(10, 18);

    private static readonly TimeSpan DefaultTaskDuration = TimeSpan.FromDays(30);
    private static readonly HexBigInteger DeployGas = new(6_000_000);

    private readonly Process _process;
    private readonly LogTail _log;
    private readonly Dictionary<string, ChainClient> _clients = new(StringComparer.OrdinalIgnoreCase);
    private int _disposed;

    private EvmSandbox(Process process, LogTail log, string rpcUrl, EvmSandboxOptions options, IReadOnlyList<SandboxAccount> accounts)
    {
        _process = process;
        _log = log;
        RpcUrl = rpcUrl;
        Options = options;
        Accounts = accounts;
        AppDomain.CurrentDomain.ProcessExit += OnProcessExit;
    }

    /// <summary>The JSON-RPC endpoint, http://127.0.0.1:PORT.</summary>
    public string RpcUrl { get; }

    /// <summary>The chain id the chain reports through eth_chainId.</summary>
    public long ChainId => Options.ChainId;

    /// <summary>The options the sandbox started with.</summary>
    public EvmSandboxOptions Options { get; }

    /// <summary>Funded accounts; account 0 (<see cref="Owner"/>) deployed and owns both contracts.</summary>
    public IReadOnlyList<SandboxAccount> Accounts { get; }

    /// <summary>The deployer and owner of both contracts (may mint, create and finish tasks, set minimums).</summary>
    public SandboxAccount Owner => Accounts[0];

    /// <summary>Address of the deployed FlockTaskManager.</summary>
    public string TaskManagerAddress { get; private set; } = "";

    /// <summary>Address of the deployed gmFLOCK token.</summary>
    public string TokenAddress { get; private set; } = "";

    /// <summary>Ganache's process id.</summary>
    public int ProcessId => _process.Id;

    /// <summary>Starts ganache, waits until it answers JSON-RPC and deploys both contracts.</summary>
    public static async Task<EvmSandbox> StartAsync(EvmSandboxOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new EvmSandboxOptions();
        if (options.AccountCount < 2)
        {
            throw new ArgumentException("The sandbox needs at least 2 accounts.", nameof(options));
        }

        if (options.BlockTimeSeconds < 0)
        {
            throw new ArgumentException("BlockTimeSeconds must be 0 (instamine) or positive.", nameof(options));
        }

        var cli = options.GanacheCliPath ?? FindGanacheCli();
        var accounts = DeriveAccounts(options.AccountSeed, options.AccountCount);

        // A port picked free may be taken before ganache binds it: try a few times.
        Exception? last = null;
        for (var attempt = 0; attempt < (options.Port is null ? 3 : 1); attempt++)
        {
            var port = options.Port ?? FreeLoopbackPort();
            var (process, log) = Launch(options, cli, port, accounts);
            var sandbox = new EvmSandbox(process, log, $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}", options, accounts);
            try
            {
                await sandbox.WaitForRpcAsync(cancellationToken).ConfigureAwait(false);
                await sandbox.DeployAsync(cancellationToken).ConfigureAwait(false);
                return sandbox;
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                last = e;
                await sandbox.DisposeAsync().ConfigureAwait(false);
                if (e is not GanacheExitedException)
                {
                    throw;
                }
            }
            catch
            {
                await sandbox.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }

        throw new InvalidOperationException($"ganache did not start: {last?.Message}", last);
    }

    // ---------------------------------------------------------------- chain helpers

    /// <summary>The current block number.</summary>
    public async Task<long> BlockNumberAsync(CancellationToken cancellationToken = default)
    {
        var n = await Web3For(Owner).Eth.Blocks.GetBlockNumber.SendRequestAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        return (long)n.Value;
    }

    /// <summary>Mines <paramref name="blocks"/> empty blocks (evm_mine).</summary>
    public async Task MineAsync(int blocks = 1, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(blocks);
        var client = Web3For(Owner).Client;
        for (var i = 0; i < blocks; i++)
        {
            await client.SendRequestAsync<string>(new RpcRequest(Guid.NewGuid().ToString("N"), "evm_mine")).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Creates an on-chain task (owner only). <paramref name="taskId"/> must be positive and new.</summary>
    public Task<EvmTransaction> CreateTaskAsync(long taskId, TimeSpan? expectedDuration = null, string? taskName = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(taskId);
        var seconds = (BigInteger)(long)(expectedDuration ?? DefaultTaskDuration).TotalSeconds;
        return SendAsync(Owner, TaskManagerAddress, CompiledContract.FlockTaskManager, "createTask", cancellationToken,
            new BigInteger(taskId), seconds, taskName ?? $"sandbox task {taskId.ToString(CultureInfo.InvariantCulture)}");
    }

    /// <summary>Marks a task completed (owner only; sandbox-only function emitting the real TaskFinished event).</summary>
    public Task<EvmTransaction> FinishTaskAsync(long taskId, CancellationToken cancellationToken = default) =>
        SendAsync(Owner, TaskManagerAddress, CompiledContract.FlockTaskManager, "finishTask", cancellationToken, new BigInteger(taskId));

    /// <summary>Sets minNodeStakes and validatorMinStake (wei; owner only; setMinStakes of the real contract).</summary>
    public Task<EvmTransaction> SetMinimumsAsync(BigInteger node, BigInteger validator, CancellationToken cancellationToken = default) =>
        SendAsync(Owner, TaskManagerAddress, CompiledContract.FlockTaskManager, "setMinStakes", cancellationToken, node, validator);

    /// <summary>Mints gmFLOCK (wei) to an address (owner only).</summary>
    public Task<EvmTransaction> MintAsync(string to, BigInteger amount, CancellationToken cancellationToken = default) =>
        SendAsync(Owner, TokenAddress, CompiledContract.GmFlock, "mint", cancellationToken, to, amount);

    /// <summary>Approves the task manager for <paramref name="amount"/> and calls stakeTokensForTrainingNodes.</summary>
    public Task<EvmTransaction> StakeAsNodeAsync(SandboxAccount account, long taskId, BigInteger amount, CancellationToken cancellationToken = default) =>
        ClientFor(account).StakeAsync(TaskManagerAddress, TokenAddress, SandboxRole.Node, taskId, amount, cancellationToken);

    /// <summary>Approves the task manager for <paramref name="amount"/> and calls stakeTokensForValidators.</summary>
    public Task<EvmTransaction> StakeAsValidatorAsync(SandboxAccount account, long taskId, BigInteger amount, CancellationToken cancellationToken = default) =>
        ClientFor(account).StakeAsync(TaskManagerAddress, TokenAddress, SandboxRole.Validator, taskId, amount, cancellationToken);

    /// <summary>Calls withdrawStakeTokensForTrainingNodes (reverts before the task is completed).</summary>
    public Task<EvmTransaction> WithdrawAsNodeAsync(SandboxAccount account, long taskId, CancellationToken cancellationToken = default) =>
        ClientFor(account).WithdrawAsync(TaskManagerAddress, SandboxRole.Node, taskId, cancellationToken);

    /// <summary>Calls withdrawStakeTokensForValidators (reverts before the task is completed).</summary>
    public Task<EvmTransaction> WithdrawAsValidatorAsync(SandboxAccount account, long taskId, CancellationToken cancellationToken = default) =>
        ClientFor(account).WithdrawAsync(TaskManagerAddress, SandboxRole.Validator, taskId, cancellationToken);

    /// <summary>gmFLOCK balance (wei) of an address.</summary>
    public async Task<BigInteger> TokenBalanceAsync(string address, CancellationToken cancellationToken = default)
    {
        var fn = Web3For(Owner).Eth.GetContract(CompiledContract.GmFlock.Abi, TokenAddress).GetFunction("balanceOf");
        return await fn.CallAsync<BigInteger>(address).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A client signing as <paramref name="account"/> (one per account, so its transactions are serialized).</summary>
    public ChainClient ClientFor(SandboxAccount account)
    {
        ArgumentNullException.ThrowIfNull(account);
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        lock (_clients)
        {
            if (!_clients.TryGetValue(account.Address, out var client))
            {
                client = new ChainClient(RpcUrl, Options.ChainId, account.PrivateKey,
                    TimeSpan.FromMilliseconds(Options.BlockTimeSeconds > 0 ? 200 : 25),
                    TimeSpan.FromSeconds(Math.Max(30, Options.BlockTimeSeconds * 10)));
                _clients[account.Address] = client;
            }

            return client;
        }
    }

    /// <summary>A Nethereum client signing as <paramref name="account"/>.</summary>
    public Web3 Web3For(SandboxAccount account) => ClientFor(account).Web3;

    /// <summary>Kills ganache and its process tree.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
        Kill();
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or InvalidOperationException)
        {
            // Already gone, or never started: nothing more to wait for.
        }

        _process.Dispose();
        lock (_clients)
        {
            foreach (var client in _clients.Values)
            {
                client.Dispose();
            }

            _clients.Clear();
        }
    }

    // ------------------------------------------------------------------- internals

    private Task<EvmTransaction> SendAsync(
        SandboxAccount from, string contractAddress, CompiledContract compiled, string function, CancellationToken cancellationToken, params object[] args) =>
        ClientFor(from).SendAsync(contractAddress, compiled, function, cancellationToken, args);

    private async Task DeployAsync(CancellationToken cancellationToken)
    {
        var web3 = Web3For(Owner);
        var token = await web3.Eth.DeployContract.SendRequestAndWaitForReceiptAsync(
            CompiledContract.GmFlock.Abi, CompiledContract.GmFlock.Bytecode, Owner.Address, DeployGas, cancellationToken).ConfigureAwait(false);
        if (token.Status?.Value != 1 || string.IsNullOrEmpty(token.ContractAddress))
        {
            throw new InvalidOperationException("Deploying GmFlock failed.");
        }

        TokenAddress = AddressUtil.Current.ConvertToChecksumAddress(token.ContractAddress);
        var manager = await web3.Eth.DeployContract.SendRequestAndWaitForReceiptAsync(
            CompiledContract.FlockTaskManager.Abi, CompiledContract.FlockTaskManager.Bytecode, Owner.Address, DeployGas, cancellationToken,
            TokenAddress, Options.MinNodeStake, Options.ValidatorMinStake).ConfigureAwait(false);
        if (manager.Status?.Value != 1 || string.IsNullOrEmpty(manager.ContractAddress))
        {
            throw new InvalidOperationException("Deploying FlockTaskManager failed.");
        }

        TaskManagerAddress = AddressUtil.Current.ConvertToChecksumAddress(manager.ContractAddress);
    }

    private async Task WaitForRpcAsync(CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        var body = """{"jsonrpc":"2.0","id":1,"method":"eth_chainId","params":[]}""";
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_process.HasExited)
            {
                throw new GanacheExitedException($"ganache exited with code {_process.ExitCode} before answering JSON-RPC: {_log.Text()}");
            }

            try
            {
                using var content = new StringContent(body, Encoding.UTF8, "application/json");
                using var response = await http.PostAsync(new Uri(RpcUrl), content, cancellationToken).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
                    var hex = doc.RootElement.GetProperty("result").GetString() ?? "0x0";
                    var chainId = long.Parse(hex.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                    if (chainId != Options.ChainId)
                    {
                        throw new InvalidOperationException($"ganache reports chain id {chainId}, expected {Options.ChainId}.");
                    }

                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                // Not listening yet.
            }

            if (deadline.Elapsed > Options.StartupTimeout)
            {
                throw new TimeoutException($"ganache did not answer JSON-RPC at {RpcUrl} within {Options.StartupTimeout}: {_log.Text()}");
            }

            await Task.Delay(100, cancellationToken).ConfigureAwait(false);
        }
    }

    private static (Process Process, LogTail Log) Launch(EvmSandboxOptions options, string cli, int port, IReadOnlyList<SandboxAccount> accounts)
    {
        var psi = new ProcessStartInfo(options.NodeExecutable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            CreateNoWindow = true,
        };
        // Exit when our end of ganache's stdin closes, so a test host killed outright leaves no ganache behind.
        psi.ArgumentList.Add("--import");
        psi.ArgumentList.Add("data:text/javascript,process.stdin.on('end',()=>process.exit(0));process.stdin.on('error',()=>process.exit(0));process.stdin.resume();");
        psi.ArgumentList.Add(cli);
        void Arg(string name, string value)
        {
            psi.ArgumentList.Add(name);
            psi.ArgumentList.Add(value);
        }

        Arg("--server.host", "127.0.0.1");
        Arg("--server.port", port.ToString(CultureInfo.InvariantCulture));
        Arg("--chain.chainId", options.ChainId.ToString(CultureInfo.InvariantCulture));
        Arg("--chain.networkId", options.ChainId.ToString(CultureInfo.InvariantCulture));
        Arg("--chain.hardfork", "shanghai");
        Arg("--miner.blockTime", options.BlockTimeSeconds.ToString(CultureInfo.InvariantCulture));
        psi.ArgumentList.Add("--logging.quiet");
        var balance = "0x" + options.InitialEtherWei.ToString("x", CultureInfo.InvariantCulture).TrimStart('0');
        foreach (var account in accounts)
        {
            Arg("--wallet.accounts", $"{account.PrivateKey},{balance}");
        }

        var log = new LogTail();
        var process = new Process { StartInfo = psi, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => log.Add(e.Data);
        process.ErrorDataReceived += (_, e) => log.Add(e.Data);
        try
        {
            process.Start();
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            process.Dispose();
            throw new InvalidOperationException($"Could not start '{options.NodeExecutable}' (Node.js 20 on PATH is needed for ganache): {e.Message}", e);
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return (process, log);
    }

    private static IReadOnlyList<SandboxAccount> DeriveAccounts(string seed, int count)
    {
        var list = new List<SandboxAccount>(count);
        for (var i = 0; list.Count < count; i++)
        {
            // keccak256("<seed>/<i>") is a valid secp256k1 key with overwhelming probability; skip the rare invalid one.
            var key = Sha3Keccack.Current.CalculateHash(Encoding.UTF8.GetBytes($"{seed}/{i.ToString(CultureInfo.InvariantCulture)}"));
            var asNumber = new BigInteger(key, isUnsigned: true, isBigEndian: true);
            if (asNumber.IsZero || asNumber >= Secp256k1Order)
            {
                continue;
            }

            var ecKey = new EthECKey(key, true);
            list.Add(new SandboxAccount(list.Count, ecKey.GetPublicAddress(), "0x" + Convert.ToHexStringLower(key)));
        }

        return list;
    }

    private static readonly BigInteger Secp256k1Order =
        BigInteger.Parse("0FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141", NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>Finds ganache's CLI: $FLOCK_GANACHE_CLI, else .tools/npm/node_modules/ganache/dist/node/cli.js upwards from here.</summary>
    public static string FindGanacheCli()
    {
        var fromEnv = Environment.GetEnvironmentVariable("FLOCK_GANACHE_CLI");
        if (!string.IsNullOrEmpty(fromEnv))
        {
            return File.Exists(fromEnv) ? fromEnv : throw new FileNotFoundException($"FLOCK_GANACHE_CLI points at a missing file: {fromEnv}");
        }

        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, ".tools", "npm", "node_modules", "ganache", "dist", "node", "cli.js");
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        throw new FileNotFoundException(
            "ganache is not installed (.tools/npm/node_modules/ganache/dist/node/cli.js not found above "
            + AppContext.BaseDirectory + "): run `make tools` in the repository root, or set FLOCK_GANACHE_CLI.");
    }

    private void OnProcessExit(object? sender, EventArgs e) => Kill();

    private void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException)
        {
            // Exited meanwhile, or never started.
        }
    }

    private sealed class GanacheExitedException(string message) : Exception(message);

    /// <summary>The last lines ganache printed, with anything shaped like a private key redacted.</summary>
    private sealed partial class LogTail
    {
        private readonly Queue<string> _lines = new();

        public void Add(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (_lines)
            {
                _lines.Enqueue(KeyLike().Replace(line, "0x<redacted>"));
                while (_lines.Count > 40)
                {
                    _lines.Dequeue();
                }
            }
        }

        public string Text()
        {
            lock (_lines)
            {
                return _lines.Count == 0 ? "(no output)" : string.Join(" | ", _lines);
            }
        }

        [GeneratedRegex("(0x)?[0-9a-fA-F]{64}")]
        private static partial Regex KeyLike();
    }
}

/// <summary>A mined transaction of the sandbox.</summary>
/// <param name="Hash">Transaction hash.</param>
/// <param name="Block">Block it was mined in.</param>
public sealed record EvmTransaction(string Hash, long Block);

/// <summary>A sandbox transaction reverted (or could not be sent); <see cref="Reason"/> is the revert string when known.</summary>
public sealed class EvmTransactionException : Exception
{
    /// <summary>Creates the exception.</summary>
    public EvmTransactionException(string operation, string? reason, Exception? inner)
        : base($"{operation} reverted{(reason is null ? "" : ": " + reason)}", inner)
    {
        Operation = operation;
        Reason = reason;
    }

    /// <summary>Contract.function that failed.</summary>
    public string Operation { get; }

    /// <summary>The revert reason, when the node reported one.</summary>
    public string? Reason { get; }
}
