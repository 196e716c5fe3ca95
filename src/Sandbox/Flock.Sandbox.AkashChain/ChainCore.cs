using System.Globalization;
using System.Numerics;
using Flock.Akash.Protos.CosmosAbciV1Beta1;
using Flock.Sandbox.AkashChain.Modules;
using Flock.Sandbox.AkashChain.State;
using Flock.Sandbox.AkashChain.Tx;
using Google.Protobuf.WellKnownTypes;
using EscrowState = Flock.Akash.Protos.EscrowTypesV1.State;
using Scope = Flock.Akash.Protos.EscrowIdV1.Scope;

namespace Flock.Sandbox.AkashChain;

/// <summary>
/// The chain itself, without the network: CheckTx into a mempool, blocks that deliver the mempool and settle
/// escrow, and read access for the query services. One lock serialises everything, like a single-node chain.
/// </summary>
public sealed class ChainCore
{
    private readonly object _gate = new();
    private readonly List<(DecodedTx Tx, AnteResult Ante, long IncludeAt)> _mempool = [];
    private readonly Dictionary<string, (Flock.Akash.Protos.CosmosTxV1Beta1.Tx Tx, TxResponse Response)> _included = new(StringComparer.Ordinal);
    private readonly DateTimeOffset _genesis;
    private readonly TimeSpan _blockTime;
    private ChainState _state = new() { Height = 1, NextAccountNumber = 1 };

    public ChainCore(AkashChainOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
        _genesis = options.GenesisTime ?? new DateTimeOffset(2026, 3, 21, 0, 0, 0, TimeSpan.Zero);
        _blockTime = options.BlockTime ?? TimeSpan.FromSeconds(6.174);
    }

    public AkashChainOptions Options { get; }

    public ChainFaults Faults { get; } = new();

    public long Height
    {
        get
        {
            lock (_gate)
            {
                return _state.Height;
            }
        }
    }

    /// <summary>Runs <paramref name="read"/> on the committed state under the lock (queries).</summary>
    internal T Read<T>(Func<ChainState, T> read)
    {
        lock (_gate)
        {
            return read(_state);
        }
    }

    /// <summary>Changes committed state outside transactions (genesis-style helpers: funding, provider registration).</summary>
    internal void Mutate(Action<ChainState> change)
    {
        lock (_gate)
        {
            change(_state);
        }
    }

    /// <summary>The latest committed block: its height and time (what GetLatestBlock and x-cosmos-block-height report).</summary>
    public (long Height, DateTimeOffset Time) LatestBlock()
    {
        lock (_gate)
        {
            return (_state.Height, BlockTime(_state.Height));
        }
    }

    /// <summary>CheckTx: decode, ante checks against the CheckTx state (committed state plus the mempool's ante effects); accepted txs wait for a block.</summary>
    public TxResponse Broadcast(byte[] txBytes)
    {
        ArgumentNullException.ThrowIfNull(txBytes);
        var hash = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(txBytes));
        lock (_gate)
        {
            if (Faults.TakeRejection() is { } rejection)
            {
                return new TxResponse { Txhash = hash, Code = rejection.Code, Codespace = rejection.Codespace, RawLog = rejection.Log };
            }

            try
            {
                var tx = DecodedTx.Decode(txBytes);
                var ante = AnteHandler.Check(CheckState(), tx, Options, checkTx: true, simulate: false);
                _mempool.Add((tx, ante, _state.Height + 1 + Faults.InclusionDelayBlocks));
                return new TxResponse { Txhash = hash, GasWanted = (long)(tx.AuthInfo.Fee?.GasLimit ?? 0) };
            }
            catch (ChainException e)
            {
                return Failed(hash, e.Error, 0, 0);
            }
        }
    }

    /// <summary>
    /// Simulate: runs ante (no signature or fee checks) and the messages on a throwaway copy of the CheckTx state, as
    /// the node simulates on its check state: a signer's txs waiting in the mempool count, so sequence N+1 simulates
    /// while N is pending. Deterministic gas.
    /// </summary>
    public (ulong GasUsed, TxError? Error) Simulate(byte[] txBytes)
    {
        lock (_gate)
        {
            try
            {
                var tx = DecodedTx.Decode(txBytes);
                var check = CheckState();
                var ante = AnteHandler.Check(check, tx, Options, checkTx: true, simulate: true);
                var scratch = ReferenceEquals(check, _state) ? _state.Clone() : check;
                scratch.Height++;
                RunMessages(scratch, tx);
                return (GasUsed(tx, ante), null);
            }
            catch (ChainException e)
            {
                return (0, e.Error);
            }
        }
    }

    /// <summary>The included transaction, or null while it is pending, rejected or unknown.</summary>
    public (Flock.Akash.Protos.CosmosTxV1Beta1.Tx Tx, TxResponse Response)? GetTx(string hash)
    {
        lock (_gate)
        {
            return _included.TryGetValue(hash.ToUpperInvariant(), out var found) ? (found.Tx.Clone(), found.Response.Clone()) : null;
        }
    }

    /// <summary>Produces <paramref name="blocks"/> blocks now.</summary>
    public void Mine(int blocks = 1)
    {
        for (var i = 0; i < blocks; i++)
        {
            lock (_gate)
            {
                ProduceBlock();
            }
        }
    }

    public BalanceSheet BalanceSheet(string owner) => Read(state =>
    {
        var ledger = state.Ledger.TryGetValue(owner, out var l) ? l : new LedgerRecord();
        var held = state.EscrowAccounts.Values.Where(a => a.Owner == owner).Aggregate(BigInteger.Zero, (sum, a) => sum + a.Funds);
        return new BalanceSheet(owner, ledger.Deposited, ledger.PaidToProviders, ledger.Refunded, held, ledger.Fees);
    });

    /// <summary>
    /// The CheckTx state: committed state plus the ante effects (sequence, fee, public key) of every tx waiting in the
    /// mempool. Messages do not run in CheckTx (cosmos-sdk runMsgs skips them), so only those effects carry over.
    /// The committed state itself when the mempool is empty; otherwise a copy.
    /// </summary>
    private ChainState CheckState()
    {
        if (_mempool.Count == 0)
        {
            return _state;
        }

        var check = _state.Clone();
        foreach (var (_, ante, _) in _mempool)
        {
            if (check.Accounts.TryGetValue(ante.Signer, out var account))
            {
                account.Sequence++;
                if (account.PublicKey is null && ante.PublicKey.Length > 0)
                {
                    account.PublicKey = ante.PublicKey;
                }
            }

            check.Debit(ante.Signer, ante.FeeDenom, BigInteger.Min(ante.Fee, check.Balance(ante.Signer, ante.FeeDenom)));
        }

        return check;
    }

    private void ProduceBlock()
    {
        _state.Height++;
        var due = _mempool.Where(p => p.IncludeAt <= _state.Height).ToList();
        _mempool.RemoveAll(p => p.IncludeAt <= _state.Height);
        foreach (var (tx, _, _) in due)
        {
            _included[tx.Hash] = (tx.ToTx(), Deliver(tx));
        }

        // EndBlock: every open deployment escrow pays its leases for this block.
        foreach (var account in _state.EscrowAccounts.Values.Where(a => a.Scope == Scope.Deployment && a.State == EscrowState.Open).ToList())
        {
            EscrowKeeper.Settle(_state, account);
        }
    }

    /// <summary>DeliverTx: ante again (no min-gas-price), fee and sequence committed even if a message fails; messages all-or-nothing.</summary>
    private TxResponse Deliver(DecodedTx tx)
    {
        var gasWanted = (long)(tx.AuthInfo.Fee?.GasLimit ?? 0);
        AnteResult ante;
        try
        {
            ante = AnteHandler.Check(_state, tx, Options, checkTx: false, simulate: false);
        }
        catch (ChainException e)
        {
            return Failed(tx.Hash, e.Error, gasWanted, 0, tx);
        }

        var account = _state.Accounts[ante.Signer];
        account.Sequence++;
        account.PublicKey ??= ante.PublicKey;
        _state.Debit(ante.Signer, ante.FeeDenom, ante.Fee);
        _state.LedgerOf(ante.Signer).Fees += ante.Fee;

        var gasUsed = GasUsed(tx, ante);
        if (gasUsed > (ulong)gasWanted)
        {
            return Failed(tx.Hash, ChainErrors.OutOfGas.Wrap($"out of gas in location: {tx.Messages[0].Route.TypeUrl}; gasWanted: {gasWanted}, gasUsed: {gasUsed}"), gasWanted, gasWanted, tx);
        }

        var scratch = _state.Clone();
        try
        {
            RunMessages(scratch, tx);
        }
        catch (ChainException e)
        {
            return Failed(tx.Hash, e.Error, gasWanted, (long)gasUsed, tx);
        }

        _state = scratch;
        return Stamp(new TxResponse { Txhash = tx.Hash, GasWanted = gasWanted, GasUsed = (long)gasUsed, Tx = Any.Pack(tx.ToTx(), "") }, tx);
    }

    private void RunMessages(ChainState scratch, DecodedTx tx)
    {
        var ctx = new MsgContext(scratch, Options);
        for (var i = 0; i < tx.Messages.Count; i++)
        {
            try
            {
                tx.Messages[i].Route.Execute(ctx, tx.Messages[i].Msg);
            }
            catch (ChainException e)
            {
                throw new ChainException(e.Error.Wrap($"failed to execute message; message index: {i.ToString(CultureInfo.InvariantCulture)}"));
            }
        }
    }

    private static ulong GasUsed(DecodedTx tx, AnteResult ante) => ante.AnteGas + tx.Messages.Aggregate(0UL, (sum, m) => sum + m.Route.Gas);

    /// <summary>A failed result; one from a block (<paramref name="tx"/> given) carries height, time and the Tx, as a node's does.</summary>
    private TxResponse Failed(string hash, TxError error, long gasWanted, long gasUsed, DecodedTx? tx = null)
    {
        var response = new TxResponse { Txhash = hash, Code = error.Code, Codespace = error.Codespace, RawLog = error.Log, GasWanted = gasWanted, GasUsed = gasUsed };
        return tx is null && gasWanted == 0 && gasUsed == 0 ? response : Stamp(response, tx);
    }

    private DateTimeOffset BlockTime(long height) => _genesis + (_blockTime * height);

    private TxResponse Stamp(TxResponse response, DecodedTx? tx)
    {
        response.Height = _state.Height;
        response.Timestamp = BlockTime(_state.Height).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        if (tx is not null && response.Tx is null)
        {
            response.Tx = Any.Pack(tx.ToTx(), "");
        }

        return response;
    }
}
