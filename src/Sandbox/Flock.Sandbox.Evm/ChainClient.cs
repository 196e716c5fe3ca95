using System.Numerics;
using Nethereum.ABI.FunctionEncoding;
using Nethereum.Hex.HexTypes;
using Nethereum.JsonRpc.Client;
using Nethereum.RPC.Eth.DTOs;
using Nethereum.Web3;
using Nethereum.Web3.Accounts;

namespace Flock.Sandbox.Evm;

/// <summary>The role a sandbox wallet stakes for.</summary>
public enum SandboxRole
{
    /// <summary>stakeTokensForTrainingNodes / withdrawStakeTokensForTrainingNodes.</summary>
    Node,

    /// <summary>stakeTokensForValidators / withdrawStakeTokensForValidators.</summary>
    Validator,
}

/// <summary>
/// Sends the sandbox contracts' transactions as one wallet (legacy transactions, chain id bound, gas estimated
/// first so a revert surfaces with its reason before anything is sent). Used by <see cref="EvmSandbox"/> and the CLI.
/// The private key stays inside the Nethereum account and is never part of a message.
/// </summary>
public sealed class ChainClient : IDisposable
{
    private readonly SemaphoreSlim _txLock = new(1, 1);
    private readonly TimeSpan _receiptTimeout;

    /// <summary>Creates a client signing with <paramref name="privateKey"/> for chain <paramref name="chainId"/>.</summary>
    public ChainClient(string rpcUrl, long chainId, string privateKey, TimeSpan? receiptPollInterval = null, TimeSpan? receiptTimeout = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(rpcUrl);
        ArgumentException.ThrowIfNullOrWhiteSpace(privateKey);
        var account = new Account(privateKey, new BigInteger(chainId));
        Address = account.Address;
        ChainId = chainId;
        Web3 = new Web3(account, rpcUrl);
        Web3.TransactionManager.UseLegacyAsDefault = true;
        Web3.TransactionReceiptPolling.SetPollingRetryIntervalInMilliseconds((int)(receiptPollInterval ?? TimeSpan.FromMilliseconds(25)).TotalMilliseconds);
        _receiptTimeout = receiptTimeout ?? TimeSpan.FromSeconds(60);
    }

    /// <summary>The signing wallet's checksummed address.</summary>
    public string Address { get; }

    /// <summary>The chain id transactions are signed for.</summary>
    public long ChainId { get; }

    /// <summary>The underlying Nethereum client.</summary>
    public Web3 Web3 { get; }

    /// <summary>The gmFLOCK token a sandbox FlockTaskManager takes stakes in (its gmFlockToken()).</summary>
    public async Task<string> StakeTokenOfAsync(string taskManager, CancellationToken cancellationToken = default) =>
        await Web3.Eth.GetContract(CompiledContract.FlockTaskManager.Abi, taskManager).GetFunction("gmFlockToken")
            .CallAsync<string>().WaitAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>Approves <paramref name="taskManager"/> for <paramref name="amount"/> of <paramref name="token"/>, then stakes it in <paramref name="role"/>.</summary>
    public async Task<EvmTransaction> StakeAsync(
        string taskManager, string token, SandboxRole role, long taskId, BigInteger amount, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(taskId);
        await SendAsync(token, CompiledContract.GmFlock, "approve", cancellationToken, taskManager, amount).ConfigureAwait(false);
        var function = role == SandboxRole.Node ? "stakeTokensForTrainingNodes" : "stakeTokensForValidators";
        return await SendAsync(taskManager, CompiledContract.FlockTaskManager, function, cancellationToken, new BigInteger(taskId), amount).ConfigureAwait(false);
    }

    /// <summary>Withdraws the whole <paramref name="role"/> stake (the contract allows it only once the task is completed).</summary>
    public Task<EvmTransaction> WithdrawAsync(string taskManager, SandboxRole role, long taskId, CancellationToken cancellationToken = default)
    {
        var function = role == SandboxRole.Node ? "withdrawStakeTokensForTrainingNodes" : "withdrawStakeTokensForValidators";
        return SendAsync(taskManager, CompiledContract.FlockTaskManager, function, cancellationToken, new BigInteger(taskId));
    }

    /// <summary>Sends one contract function call and waits for its receipt; throws <see cref="EvmTransactionException"/> on revert.</summary>
    public async Task<EvmTransaction> SendAsync(
        string contractAddress, CompiledContract compiled, string function, CancellationToken cancellationToken, params object[] args)
    {
        ArgumentNullException.ThrowIfNull(compiled);
        var fn = Web3.Eth.GetContract(compiled.Abi, contractAddress).GetFunction(function);
        var operation = $"{compiled.Name}.{function}";
        // One transaction at a time per wallet: the nonce comes from the node, so concurrent sends would clash.
        await _txLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            TransactionReceipt receipt;
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(_receiptTimeout);
                var estimate = await fn.EstimateGasAsync(Address, null, null, args).WaitAsync(timeout.Token).ConfigureAwait(false);
                var gas = new HexBigInteger((estimate.Value * 5 / 4) + 10_000);
                receipt = await fn.SendTransactionAndWaitForReceiptAsync(Address, gas, null, timeout.Token, args).ConfigureAwait(false);
            }
            catch (SmartContractRevertException e)
            {
                throw new EvmTransactionException(operation, e.RevertMessage, e);
            }
            catch (RpcResponseException e)
            {
                throw new EvmTransactionException(operation, RevertReason(e.RpcError?.Message ?? e.Message), e);
            }

            if (receipt.Status?.Value != 1)
            {
                throw new EvmTransactionException(operation, null, null);
            }

            return new EvmTransaction(receipt.TransactionHash, (long)receipt.BlockNumber.Value);
        }
        finally
        {
            _txLock.Release();
        }
    }

    /// <inheritdoc />
    public void Dispose() => _txLock.Dispose();

    private static string RevertReason(string message)
    {
        const string marker = "revert ";
        var i = message.IndexOf(marker, StringComparison.Ordinal);
        return i >= 0 ? message[(i + marker.Length)..] : message;
    }
}
