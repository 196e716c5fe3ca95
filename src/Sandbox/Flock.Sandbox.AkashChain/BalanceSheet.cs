using System.Numerics;
using Flock.Sandbox.AkashChain.State;

namespace Flock.Sandbox.AkashChain;

/// <summary>
/// Where one owner's escrow money went, in exact LegacyDec-scaled units of the deployment denom (uact × 10^18),
/// plus the gas fees it paid (integer uakt). Deposits can only be paid to providers, refunded, or still held;
/// <see cref="Balances"/> says that no escrow unit leaked.
/// </summary>
/// <param name="Owner">Deployment owner.</param>
/// <param name="Deposited">All deposits into the owner's deployment escrow accounts (scaled).</param>
/// <param name="PaidToProviders">Drawn from escrow into lease payments (scaled).</param>
/// <param name="Refunded">Returned to depositors when accounts closed (scaled).</param>
/// <param name="HeldInEscrow">Still inside the owner's escrow accounts (scaled; for closed accounts only sub-unit dust).</param>
/// <param name="Fees">Gas fees paid by the owner's transactions (uakt).</param>
public sealed record BalanceSheet(string Owner, BigInteger Deposited, BigInteger PaidToProviders, BigInteger Refunded, BigInteger HeldInEscrow, BigInteger Fees)
{
    /// <summary>True when deposits == paid + refunded + held.</summary>
    public bool Balances => Deposited == PaidToProviders + Refunded + HeldInEscrow;

    /// <summary>Whole units (uact) of a scaled amount.</summary>
    public static BigInteger Units(BigInteger scaled) => Dec.Floor(scaled);
}
