namespace Flock.Sandbox.AkashChain.State;

/// <summary>An auth BaseAccount: created when first funded; the public key is recorded by its first transaction.</summary>
public sealed class AccountRecord
{
    public required string Address { get; init; }
    public required ulong Number { get; init; }
    public ulong Sequence { get; set; }
    public byte[]? PublicKey { get; set; }

    public AccountRecord Clone() => new() { Address = Address, Number = Number, Sequence = Sequence, PublicKey = PublicKey };
}
