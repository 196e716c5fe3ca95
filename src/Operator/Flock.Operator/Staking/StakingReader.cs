using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using Flock.Operator.Telemetry;
using Nethereum.Util;

namespace Flock.Operator.Staking;

/// <summary>
/// Reads a wallet's stake on a FLock task from FlockTaskManagerV2 over JSON-RPC: getNodeStakes /
/// getValidatorStakes, the role's minimum (minNodeStakes / validatorMinStake) and isTaskCompleted, all at
/// one block (latest − confirmations). Verifies the chain id and that the address holds code first, so a
/// misconfiguration surfaces as a typed <see cref="StakingReadException"/> instead of a silent zero.
/// Read-only: it never signs or sends a transaction.
/// </summary>
public sealed class StakingReader : IDisposable
{
    private readonly IEthereumRpc _rpc;
    private readonly bool _ownsRpc;

    /// <summary>Creates a reader over HTTP JSON-RPC; <paramref name="metrics"/> times its calls.</summary>
    public StakingReader(ChainSettings settings, HttpClient? httpClient = null, TimeSpan? requestTimeout = null, FlockMetrics? metrics = null)
        : this(settings, new HttpEthereumRpc(settings?.RpcUrl ?? throw new ArgumentNullException(nameof(settings)), httpClient, requestTimeout, metrics), ownsRpc: true)
    {
    }

    /// <summary>Creates a reader over any JSON-RPC transport (tests inject faults here).</summary>
    public StakingReader(ChainSettings settings, IEthereumRpc rpc)
        : this(settings, rpc, ownsRpc: false)
    {
    }

    private StakingReader(ChainSettings settings, IEthereumRpc rpc, bool ownsRpc)
    {
        Settings = settings ?? throw new ArgumentNullException(nameof(settings));
        _rpc = rpc ?? throw new ArgumentNullException(nameof(rpc));
        _ownsRpc = ownsRpc;
    }

    /// <summary>The chain, contract and confirmations read from.</summary>
    public ChainSettings Settings { get; }

    /// <summary>Reads <paramref name="address"/>'s <paramref name="role"/> stake on <paramref name="taskId"/>.</summary>
    /// <exception cref="StakingReadException">The RPC failed, serves another chain, the contract is missing, or it answered nonsense.</exception>
    public async Task<StakeReading> ReadAsync(long taskId, string address, StakeRole role, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(taskId);
        if (!ChainSettings.IsAddress(address))
        {
            throw new ArgumentException($"'{address}' is not a 0x-prefixed 20-byte hex address.", nameof(address));
        }

        if (!Enum.IsDefined(role))
        {
            throw new ArgumentOutOfRangeException(nameof(role));
        }

        // The parent of this read's JSON-RPC spans; the stake tracker reads on its own schedule, so usually a root.
        using var activity = OperatorDiagnostics.ActivitySource.StartActivity("read stake", ActivityKind.Internal);
        activity?.SetTag("flock.task_id", taskId);
        activity?.SetTag("flock.stake_role", role.ToString());
        activity?.SetTag("evm.chain_id", Settings.ChainId);
        try
        {
            return await ReadAtSafeBlockAsync(taskId, address, role, cancellationToken).ConfigureAwait(false);
        }
        catch (StakingReadException e)
        {
            activity?.SetTag("error.type", e.Reason.ToString());
            activity?.SetStatus(ActivityStatusCode.Error, e.Reason.ToString());
            throw;
        }
    }

    private async Task<StakeReading> ReadAtSafeBlockAsync(long taskId, string address, StakeRole role, CancellationToken cancellationToken)
    {
        var block = await SafeBlockAsync(cancellationToken).ConfigureAwait(false);
        await EnsureContractAsync(block, cancellationToken).ConfigureAwait(false);

        var (own, other, min) = role == StakeRole.Node
            ? (FlockTaskManagerAbi.GetNodeStakes, FlockTaskManagerAbi.GetValidatorStakes, FlockTaskManagerAbi.MinNodeStakes)
            : (FlockTaskManagerAbi.GetValidatorStakes, FlockTaskManagerAbi.GetNodeStakes, FlockTaskManagerAbi.ValidatorMinStake);
        var task = new BigInteger(taskId);
        var amount = UintAsync(FlockTaskManagerAbi.EncodeCall(own, task, address), own, block, cancellationToken);
        var otherAmount = UintAsync(FlockTaskManagerAbi.EncodeCall(other, task, address), other, block, cancellationToken);
        var minimum = UintAsync(FlockTaskManagerAbi.EncodeCall(min), min, block, cancellationToken);
        var completed = BoolAsync(FlockTaskManagerAbi.EncodeCall(FlockTaskManagerAbi.IsTaskCompleted, task), FlockTaskManagerAbi.IsTaskCompleted, block, cancellationToken);
        await Task.WhenAll(amount, otherAmount, minimum, completed).ConfigureAwait(false);

        return new StakeReading(
            taskId,
            AddressUtil.Current.ConvertToChecksumAddress(address),
            await amount.ConfigureAwait(false),
            await minimum.ConfigureAwait(false),
            role,
            !(await otherAmount.ConfigureAwait(false)).IsZero,
            await completed.ConfigureAwait(false),
            block);
    }

    /// <summary>Reads the contract's current minimum for <paramref name="role"/> (wei).</summary>
    public async Task<BigInteger> ReadMinimumAsync(StakeRole role, CancellationToken cancellationToken = default)
    {
        var block = await SafeBlockAsync(cancellationToken).ConfigureAwait(false);
        await EnsureContractAsync(block, cancellationToken).ConfigureAwait(false);
        var fn = role == StakeRole.Node ? FlockTaskManagerAbi.MinNodeStakes : FlockTaskManagerAbi.ValidatorMinStake;
        return await UintAsync(FlockTaskManagerAbi.EncodeCall(fn), fn, block, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>isTaskCompleted(taskId) at latest − confirmations.</summary>
    public async Task<bool> IsTaskCompletedAsync(long taskId, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(taskId);
        var block = await SafeBlockAsync(cancellationToken).ConfigureAwait(false);
        await EnsureContractAsync(block, cancellationToken).ConfigureAwait(false);
        return await BoolAsync(FlockTaskManagerAbi.EncodeCall(FlockTaskManagerAbi.IsTaskCompleted, new BigInteger(taskId)),
            FlockTaskManagerAbi.IsTaskCompleted, block, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Checks the chain id and returns the block reads should use: max(0, latest − confirmations).</summary>
    public async Task<long> SafeBlockAsync(CancellationToken cancellationToken = default)
    {
        await VerifyChainIdAsync(_rpc, Settings, cancellationToken).ConfigureAwait(false);
        var latest = await EthCalls.BlockNumberAsync(_rpc, cancellationToken).ConfigureAwait(false);
        return Math.Max(0, latest - Settings.Confirmations);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_ownsRpc && _rpc is IDisposable d)
        {
            d.Dispose();
        }
    }

    internal static async Task VerifyChainIdAsync(IEthereumRpc rpc, ChainSettings settings, CancellationToken ct)
    {
        var chainId = await EthCalls.ChainIdAsync(rpc, ct).ConfigureAwait(false);
        if (chainId != settings.ChainId)
        {
            throw new StakingReadException(
                StakingReadError.ChainIdMismatch,
                $"The RPC at {settings.RedactedRpcUrl} serves chain {chainId.ToString(CultureInfo.InvariantCulture)}, but the settings name chain {settings.ChainId.ToString(CultureInfo.InvariantCulture)}.");
        }
    }

    private async Task EnsureContractAsync(long block, CancellationToken ct)
    {
        var code = await EthCalls.GetCodeAsync(_rpc, Settings.ContractAddress, block, ct).ConfigureAwait(false);
        if (code.Length <= 2 || code.AsSpan(2).IndexOfAnyExcept('0') < 0)
        {
            throw new StakingReadException(
                StakingReadError.ContractMissing,
                $"No contract code at {Settings.ContractAddress} on chain {Settings.ChainId.ToString(CultureInfo.InvariantCulture)} at block {block.ToString(CultureInfo.InvariantCulture)}.");
        }
    }

    private async Task<BigInteger> UintAsync(string data, string what, long block, CancellationToken ct)
    {
        var hex = await EthCalls.CallAsync(_rpc, Settings.ContractAddress, data, block, what, ct).ConfigureAwait(false);
        return FlockTaskManagerAbi.DecodeUint(hex)
            ?? throw new StakingReadException(StakingReadError.MalformedResult, $"{what} returned {Describe(hex)}, not one uint256 word.");
    }

    private async Task<bool> BoolAsync(string data, string what, long block, CancellationToken ct)
    {
        var hex = await EthCalls.CallAsync(_rpc, Settings.ContractAddress, data, block, what, ct).ConfigureAwait(false);
        return FlockTaskManagerAbi.DecodeBool(hex)
            ?? throw new StakingReadException(StakingReadError.MalformedResult, $"{what} returned {Describe(hex)}, not a bool word.");
    }

    private static string Describe(string hex) =>
        hex.Length <= 2 ? "no data"
        : !hex.StartsWith("0x", StringComparison.OrdinalIgnoreCase) || hex.AsSpan(2).ContainsAnyExcept("0123456789abcdefABCDEF") ? "non-hex data"
        : $"{((hex.Length - 2) / 2).ToString(CultureInfo.InvariantCulture)} byte(s)";
}
