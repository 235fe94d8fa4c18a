using VoiceAnalytics.CrmService.Creatio;

namespace VoiceAnalytics.Crm.Tests.Unit;

public sealed class LeadRecordIdTests
{
    [Fact]
    public void NameBasedIdMatchesTheRfcVersion5Algorithm()
    {
        // Python's uuid.uuid5(uuid.NAMESPACE_DNS, "python.org"), an independent implementation.
        var dns = new Guid("6ba7b810-9dad-11d1-80b4-00c04fd430c8");
        Assert.Equal(new Guid("886313e1-3b8a-5372-9b90-0c9aee199e5d"), LeadRecordId.NameBased(dns, "python.org"));
    }

    [Fact]
    public void TheSameConversationAlwaysGetsTheSameVersion5Id()
    {
        var first = LeadRecordId.For("conv_9001k1zph3fkeh5s8xg9z90swaqa");
        var again = LeadRecordId.For("conv_9001k1zph3fkeh5s8xg9z90swaqa");
        Assert.Equal(first, again);
        Assert.Equal(new Guid("bef977ef-7e08-5a92-987b-a8cfa296021c"), first); // python: uuid5(Namespace, id)
        Assert.Equal('5', first.ToString("D")[14]);
    }

    [Fact]
    public void DifferentConversationsGetDifferentIds() =>
        Assert.NotEqual(LeadRecordId.For("conv_a"), LeadRecordId.For("conv_b"));
}
