using Flock.Akash.Client;
using Flock.Operator.Backends.InCluster;

namespace Flock.Operator.Backends.Akash;

/// <summary>
/// What the chain client's failures mean for the worker, as the condition a person reads: an account to fund, a
/// transaction the chain refuses, another signer on the account, or a node that does not answer. Anything else is left
/// to the controller's retry.
/// </summary>
public static class AkashFailures
{
    public static WorkloadProblem? Explain(AkashChainException failure, string account) => failure switch
    {
        AkashAccountNotFundedException => new WorkloadProblem("InsufficientFunds",
            $"the Akash account {account} has never been funded: send it uakt for fees and uact for the deposit", Fatal: true),
        // Re-signing did not help (TxSubmitter already retried): someone else keeps signing with this account. It passes
        // once they stop, so the worker is not Stalled, but a person should know.
        AkashTxException { IsSequenceMismatch: true } tx => SequenceMismatch(account, tx.RawLog),
        AkashSimulationException simulation when simulation.RawLog.Contains("account sequence mismatch", StringComparison.Ordinal) =>
            SequenceMismatch(account, simulation.RawLog),
        AkashTxException { Code: 5 } tx => Unfunded(account, tx.RawLog),
        // Simulate runs the messages before anything is broadcast, so a deposit the account cannot pay fails here, for free.
        AkashSimulationException simulation when simulation.RawLog.Contains("insufficient funds", StringComparison.OrdinalIgnoreCase) =>
            Unfunded(account, simulation.RawLog),
        AkashTxException tx => new WorkloadProblem("TxRejected", $"the chain rejected the transaction with code {tx.Code} ({tx.Codespace}): {tx.RawLog}", Fatal: true),
        AkashSimulationException simulation => new WorkloadProblem("TxRejected", $"the chain would reject the transaction (its simulation failed): {simulation.RawLog}", Fatal: true),
        { IsTransient: true } => new WorkloadProblem("AkashUnavailable", $"the Akash node is unreachable: {failure.Message}", Fatal: false),
        _ => null,
    };

    private static WorkloadProblem Unfunded(string account, string log) => new WorkloadProblem("InsufficientFunds",
        $"the Akash account {account} cannot pay: {log}; send it uact (deposits) and uakt (fees)", Fatal: false);

    private static WorkloadProblem SequenceMismatch(string account, string log) => new WorkloadProblem("SequenceMismatch",
        $"another signer keeps using the Akash account {account} ({log}); the operator retries; make sure no other operator or wallet signs with it", Fatal: false);
}
