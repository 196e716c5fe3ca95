namespace Flock.Sandbox.Evm;

/// <summary>
/// A funded account of the sandbox chain. Its key is generated for the sandbox and holds nothing real.
/// <see cref="ToString"/> shows only the address, so the key never lands in a log line by accident.
/// </summary>
public sealed class SandboxAccount
{
    internal SandboxAccount(int index, string address, string privateKey)
    {
        Index = index;
        Address = address;
        PrivateKey = privateKey;
    }

    /// <summary>Position among <see cref="EvmSandbox.Accounts"/>; account 0 deployed the contracts and owns them.</summary>
    public int Index { get; }

    /// <summary>The checksummed address.</summary>
    public string Address { get; }

    /// <summary>The private key (0x-prefixed hex). Sandbox-only; never print it.</summary>
    public string PrivateKey { get; }

    /// <inheritdoc />
    public override string ToString() => $"account {Index} ({Address})";
}
