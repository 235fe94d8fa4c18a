using System.Text.Json.Nodes;
using Npgsql;
using VoiceAnalytics.Infrastructure.Privacy;
using VoiceAnalytics.Infrastructure.Tests.Support;
using VoiceAnalytics.TestSupport;

namespace VoiceAnalytics.Infrastructure.Tests.Integration.Privacy;

public sealed class PiiReencryptorTests
{
    [Fact]
    public async Task RotationRewritesTextAndJsonColumnsUnderTheNewKeyAndLeavesTheRestAlone()
    {
        var pg = await ThrowawayPostgres.Shared;
        await using var dataSource = NpgsqlDataSource.Create(await pg.CreateDatabaseAsync("reenc"));
        await Execute(dataSource, """
            CREATE SCHEMA s;
            CREATE TABLE s.people (id bigint PRIMARY KEY, name text, doc jsonb, note text);
            """);

        var before = TestKeys.Ring("k1", "k1");
        for (var id = 1; id <= 25; id++)
        {
            await using var insert = dataSource.CreateCommand("INSERT INTO s.people VALUES (@id, @name, @doc::jsonb, 'plain')");
            insert.Parameters.AddWithValue("id", (long)id);
            insert.Parameters.AddWithValue("name", id == 7 ? (object)DBNull.Value : before.Protect($"Person {id}"));
            insert.Parameters.AddWithValue("doc", new JsonObject
            {
                ["client_name"] = before.Protect($"Client {id}"),
                ["topic"] = "sales",
                ["nested"] = new JsonArray(before.Protect($"+7916000{id:D4}")),
            }.ToJsonString());
            await insert.ExecuteNonQueryAsync();
        }

        var after = TestKeys.Ring("k2", "k1", "k2");
        var reencryptor = new PiiReencryptor(dataSource, after);
        var set = new PiiColumnSet("s.people", "id", [new PiiColumn("name"), new PiiColumn("doc", IsJson: true)]);

        Assert.Equal(25, await reencryptor.ReencryptAsync(set, batchSize: 10, CancellationToken.None));
        Assert.Equal(0, await reencryptor.ReencryptAsync(set, batchSize: 10, CancellationToken.None));

        var onlyNewKey = TestKeys.Ring("k2", "k2");
        await using var read = dataSource.CreateCommand("SELECT id, name, doc::text, note FROM s.people ORDER BY id");
        await using var reader = await read.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var id = reader.GetInt64(0);
            var doc = JsonNode.Parse(reader.GetString(2))!;
            Assert.DoesNotContain("enc:v1:k1:", reader.GetString(2), StringComparison.Ordinal);
            Assert.Equal($"Client {id}", onlyNewKey.Unprotect(doc["client_name"]!.GetValue<string>()));
            Assert.Equal($"+7916000{id:D4}", onlyNewKey.Unprotect(doc["nested"]![0]!.GetValue<string>()));
            Assert.Equal("sales", doc["topic"]!.GetValue<string>());
            Assert.Equal("plain", reader.GetString(3));
            if (id == 7)
            {
                Assert.True(reader.IsDBNull(1));
            }
            else
            {
                Assert.StartsWith("enc:v1:k2:", reader.GetString(1), StringComparison.Ordinal);
                Assert.Equal($"Person {id}", onlyNewKey.Unprotect(reader.GetString(1)));
            }
        }
    }

    [Fact]
    public async Task TextPrimaryKeysWork()
    {
        var pg = await ThrowawayPostgres.Shared;
        await using var dataSource = NpgsqlDataSource.Create(await pg.CreateDatabaseAsync("reenc"));
        await Execute(dataSource, "CREATE TABLE public.t (conversation_id text PRIMARY KEY, phone text)");
        var before = TestKeys.Ring("k1", "k1");
        foreach (var id in new[] { "conv_a", "conv_b", "conv_c" })
        {
            await using var insert = dataSource.CreateCommand("INSERT INTO public.t VALUES (@id, @phone)");
            insert.Parameters.AddWithValue("id", id);
            insert.Parameters.AddWithValue("phone", before.Protect("+79161234567"));
            await insert.ExecuteNonQueryAsync();
        }

        var reencryptor = new PiiReencryptor(dataSource, TestKeys.Ring("k2", "k1", "k2"));
        Assert.Equal(3, await reencryptor.ReencryptAsync(new PiiColumnSet("public.t", "conversation_id", [new PiiColumn("phone")]), 2, CancellationToken.None));

        await using var count = dataSource.CreateCommand("SELECT count(*) FROM public.t WHERE phone LIKE 'enc:v1:k2:%'");
        Assert.Equal(3L, await count.ExecuteScalarAsync());
    }

    private static async Task Execute(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }
}
