using Microsoft.Extensions.Options;
using VoiceAnalytics.Gateway.Admin;
using VoiceAnalytics.Protos.Common.V1;

namespace VoiceAnalytics.Gateway.Privacy;

/// <summary>
/// The services that own data about a conversation besides the gateway, and their erase RPCs. Each erases its
/// own rows (the CRM service also its Markdown sections) and reports counts per store.
/// </summary>
public sealed class ErasureOwners(PipelineClients clients, IOptions<ErasureOptions> options)
{
    public const string Analysis = "analysis";
    public const string Crm = "crm";

    /// <summary>Every owner an erasure waits for, whether or not this gateway knows its address, in pipeline order.</summary>
    public static IReadOnlyList<string> All => InPipelineOrder;

    private static readonly string[] InPipelineOrder = [Analysis, Crm];

    /// <summary>The owner's place in the pipeline (analysis hands on to crm); unknown owners last.</summary>
    public static int PipelineOrder(string owner)
    {
        var index = Array.IndexOf(InPipelineOrder, owner);
        return index < 0 ? int.MaxValue : index;
    }

    /// <summary>The owner's counts per store.</summary>
    /// <exception cref="Grpc.Core.RpcException">The owner is down, too slow, or refused.</exception>
    /// <exception cref="InvalidOperationException">This gateway has no address for the owner.</exception>
    public async Task<IReadOnlyDictionary<string, long>> EraseAsync(
        string owner, IReadOnlyList<string> conversationIds, string reason, CancellationToken cancellationToken)
    {
        var request = EraseConversationsRequest.For(conversationIds, reason);
        // The transport's deadline is wall-clock time, whatever clock the rest of the erasure runs on.
        var deadline = DateTime.UtcNow + options.Value.OwnerTimeout;
        var reply = owner switch
        {
            Analysis => await (clients.Analysis ?? throw NotConfigured(owner))
                .EraseConversationsAsync(request, deadline: deadline, cancellationToken: cancellationToken),
            Crm => await (clients.Crm ?? throw NotConfigured(owner))
                .EraseConversationsAsync(request, deadline: deadline, cancellationToken: cancellationToken),
            _ => throw new ArgumentOutOfRangeException(nameof(owner), owner, "Not an owner of conversation data."),
        };
        return reply.Removed.ToDictionary(r => r.Key, r => r.Value, StringComparer.Ordinal);
    }

    private static InvalidOperationException NotConfigured(string owner) =>
        new($"No gRPC address is configured for {owner} (services__{owner}__grpc__0).");
}
