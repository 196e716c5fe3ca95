using Flock.Akash.Chain;
using Flock.Akash.Client;
using Flock.Akash.Crypto;
using Flock.Crds.V1Alpha1;
using Flock.Operator.Backends.InCluster;

namespace Flock.Operator.Backends.Akash;

/// <summary>The status after a funding step, and why the deposit must wait, if it must.</summary>
public sealed record FundingResult(AkashStatus Status, WorkloadProblem? Problem);

/// <summary>
/// Makes sure the account holds the ACT a deposit needs. Mainnet takes deposits only in uact since node
/// v2.0.0; when the user allowed it (funding.mintAct), AKT is burned for ACT with MsgMintACT. The mint
/// settles at the chain's next epoch, so after one the operator waits (MintSettleBlocks) before minting
/// again. The mint height is kept in status; a crash between the mint and that write can mint twice,
/// which converts more AKT than needed but loses nothing (the ACT stays in the account).
/// </summary>
public sealed class AkashFunding(AkashChainClient chain, TxSubmitter submitter, AkashOptions options)
{
    public async Task<FundingResult> EnsureAsync(Wallet wallet, DepositAmount deposit, AkashPlacement akash, AkashStatus status, CancellationToken ct)
    {
        if (deposit.Denom != AkashNetwork.Uact || akash.Funding?.MintAct != true) return new FundingResult(status, null);
        var act = (decimal)await chain.GetBalanceAsync(wallet.Address, AkashNetwork.Uact, ct).ConfigureAwait(false);
        if (act >= deposit.Amount) return new FundingResult(status, null);

        var height = await chain.GetLatestBlockHeightAsync(ct).ConfigureAwait(false);
        if (status.LastMintHeight is { } minted && height - minted < options.MintSettleBlocks)
        {
            return new FundingResult(status, new WorkloadProblem("MintingAct",
                $"minted ACT at block {minted}; waiting for it to settle before depositing {EscrowLedger.Format(deposit.Amount, deposit.Denom)}", Fatal: false));
        }

        var burn = decimal.Ceiling((deposit.Amount - act) * options.MintAktPerAct);
        var akt = (decimal)await chain.GetBalanceAsync(wallet.Address, AkashNetwork.Uakt, ct).ConfigureAwait(false);
        if (akt < burn + options.FeeReserveUakt)
        {
            return new FundingResult(status, new WorkloadProblem("InsufficientFunds",
                $"the Akash account {wallet.Address} has {EscrowLedger.Format(act, AkashNetwork.Uact)} and {EscrowLedger.Format(akt, AkashNetwork.Uakt)}: "
                + $"minting the missing ACT needs {EscrowLedger.Format(burn, AkashNetwork.Uakt)} plus {options.FeeReserveUakt}uakt for fees; fund the account", Fatal: false));
        }

        await submitter.SubmitAsync(wallet, [AkashMessages.MintAct(wallet.Address, AkashMessages.Coin((ulong)burn, AkashNetwork.Uakt))], cancellationToken: ct).ConfigureAwait(false);
        status = status with { LastMintHeight = height };
        act = (decimal)await chain.GetBalanceAsync(wallet.Address, AkashNetwork.Uact, ct).ConfigureAwait(false);
        return act >= deposit.Amount
            ? new FundingResult(status, null)
            : new FundingResult(status, new WorkloadProblem("MintingAct", $"burned {EscrowLedger.Format(burn, AkashNetwork.Uakt)} for ACT; the deposit follows once it settles", Fatal: false));
    }
}
