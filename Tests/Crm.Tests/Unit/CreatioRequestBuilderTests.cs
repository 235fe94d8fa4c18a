using System.Text.Json;
using VoiceAnalytics.Crm.Tests.Support;
using VoiceAnalytics.CrmService.Creatio;

namespace VoiceAnalytics.Crm.Tests.Unit;

public sealed class CreatioRequestBuilderTests
{
    private static JsonElement Fixture(string name) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", name))).RootElement.Clone();

    [Fact]
    public void BodyMatchesTheFixtureFieldByField()
    {
        var request = new CreatioRequestBuilder(CrmTestOptions.Create()).Build(Leads.Fixture());
        var body = JsonDocument.Parse(request.Body).RootElement;
        var expected = Fixture("request_example.json");

        Assert.Equal(["formData"], body.EnumerateObject().Select(p => p.Name));
        var form = body.GetProperty("formData");
        var expectedForm = expected.GetProperty("formData");
        Assert.Equal(expectedForm.EnumerateObject().Select(p => p.Name), form.EnumerateObject().Select(p => p.Name));
        Assert.Equal(expectedForm.GetProperty("formId").GetString(), form.GetProperty("formId").GetString());
        Assert.True(form.GetProperty("options").GetProperty("extendResponseWithExceptionType").GetBoolean());

        foreach (var list in new[] { "formFieldsData", "contactFieldsData" })
        {
            var actualFields = Pairs(form.GetProperty(list));
            var expectedFields = Pairs(expectedForm.GetProperty(list));
            Assert.Equal(expectedFields.Select(f => f.Name), actualFields.Select(f => f.Name));
            foreach (var ((name, value), (_, expectedValue)) in actualFields.Zip(expectedFields))
            {
                // The fixture's Id is an example; ours is the conversation's deterministic Id.
                Assert.Equal(name == "Id" ? LeadRecordId.For(Leads.ConversationId).ToString("D") : expectedValue, value);
            }
        }
        Assert.All(form.GetProperty("formFieldsData").EnumerateArray(),
            field => Assert.Equal(["name", "value"], field.EnumerateObject().Select(p => p.Name)));
        Assert.Equal(LeadRecordId.For(Leads.ConversationId), request.RecordId);
    }

    [Fact]
    public void EmptyAndMissingValuesAreLeftOut()
    {
        var lead = Leads.With("conv_empty", """{"topic":"Тариф","intent":"","client_name":"  ","phone":null,"quality":3}""");
        var request = new CreatioRequestBuilder(CrmTestOptions.Create()).Build(lead);
        var form = JsonDocument.Parse(request.Body).RootElement.GetProperty("formData");

        Assert.Equal(["Id", "UsrQualificationTopic", "UsrQualityScore", "UsrEventId", "UsrAgentId", "UsrConversationId"],
            Pairs(form.GetProperty("formFieldsData")).Select(f => f.Name));
        Assert.Empty(form.GetProperty("contactFieldsData").EnumerateArray());
        Assert.Equal(request.FormFieldNames, Pairs(form.GetProperty("formFieldsData")).Select(f => f.Name));
    }

    [Fact]
    public void MappingIsConfigurable()
    {
        var options = CrmTestOptions.Create(o =>
        {
            o.FormFields["UsrIntent"] = "";                 // switched off
            o.FormFields["UsrCustomChannel"] = "channel";   // any analysis field
            o.ContactFields.Remove("Email");
        });
        var lead = Leads.With("conv_map", """{"intent":"Купить","channel":"voice","email":"a@b.c","client_name":"Анна","recommendations":["Позвонить","Отправить КП"]}""");
        var form = JsonDocument.Parse(new CreatioRequestBuilder(options).Build(lead).Body).RootElement.GetProperty("formData");
        var fields = Pairs(form.GetProperty("formFieldsData")).ToDictionary(f => f.Name, f => f.Value);

        Assert.False(fields.ContainsKey("UsrIntent"));
        Assert.Equal("voice", fields["UsrCustomChannel"]);
        Assert.Equal("Позвонить\nОтправить КП", fields["UsrQualificationComment"]);
        Assert.Equal(["FullName"], Pairs(form.GetProperty("contactFieldsData")).Select(f => f.Name));
    }

    private static List<(string Name, string Value)> Pairs(JsonElement array) =>
        array.EnumerateArray().Select(f => (f.GetProperty("name").GetString()!, f.GetProperty("value").GetString()!)).ToList();
}
