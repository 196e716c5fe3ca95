using System.Numerics;

namespace Flock.Sandbox.Evm;

/// <summary>How <see cref="EvmSandbox.StartAsync"/> starts the local chain.</summary>
public sealed record EvmSandboxOptions
{
    /// <summary>Chain id (and net_version) of the local chain; 8453 so it looks like Base mainnet.</summary>
    public long ChainId { get; init; } = 8453;

    /// <summary>Seconds between blocks; 0 is instamine (one block per transaction, for tests), 1 suits a demo.</summary>
    public double BlockTimeSeconds { get; init; }

    /// <summary>Number of funded accounts (at least 2; account 0 deploys and owns the contracts).</summary>
    public int AccountCount { get; init; } = 10;

    /// <summary>Seed the account keys are derived from; the same seed gives the same addresses.</summary>
    public string AccountSeed { get; init; } = "flock-operator evm sandbox";

    /// <summary>Ether (in wei) each account starts with, for gas.</summary>
    public BigInteger InitialEtherWei { get; init; } = BigInteger.Pow(10, 21);

    /// <summary>minNodeStakes at deployment (wei of gmFLOCK); the real contract's commented default is 3000e18.</summary>
    public BigInteger MinNodeStake { get; init; } = 3000 * BigInteger.Pow(10, 18);

    /// <summary>validatorMinStake at deployment (wei of gmFLOCK).</summary>
    public BigInteger ValidatorMinStake { get; init; } = 3000 * BigInteger.Pow(10, 18);

    /// <summary>The node executable; "node" from PATH by default.</summary>
    public string NodeExecutable { get; init; } = "node";

    /// <summary>
    /// Path of ganache's <c>dist/node/cli.js</c>. Default: <c>$FLOCK_GANACHE_CLI</c>, else
    /// <c>.tools/npm/node_modules/ganache/dist/node/cli.js</c> found upwards from the app's directory.
    /// </summary>
    public string? GanacheCliPath { get; init; }

    /// <summary>How long ganache may take to answer JSON-RPC.</summary>
    public TimeSpan StartupTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Fixed port on 127.0.0.1; null picks a free one.</summary>
    public int? Port { get; init; }
}
