using VoiceAnalytics.AnalysisService.Analyzers.Offline;

namespace VoiceAnalytics.Analysis.Tests.Unit;

public sealed class PhoneExtractionTests
{
    [Theory]
    [InlineData("плюс триста семьдесят пять, двадцать девять, один два три, сорок пять, шестьдесят семь", null, "+375291234567")]
    [InlineData("Мой номер плюс семь девятьсот шестнадцать сто двадцать три сорок пять шестьдесят семь", null, "+79161234567")]
    [InlineData("восемь девятьсот шестнадцать, сто двадцать три, сорок пять, шестьдесят семь", null, "+79161234567")]
    [InlineData("восемь ноль двадцать девять один два три сорок пять шестьдесят семь", null, "+375291234567")]
    [InlineData("+375 (29) 123-45-67", null, "+375291234567")]
    [InlineData("звоните 8 029 123 45 67, пожалуйста", null, "+375291234567")]
    [InlineData("call me at 0044 20 7946 0958", null, "+442079460958")]
    [InlineData("it's four one five, five five five, oh one two three", "1", "+14155550123")]
    [InlineData("mais cinquenta e cinco onze nove meia meia meia sete, oito oito oito oito", null, "+5511966678888")]
    [InlineData("(11) 91234-5678", "55", "+5511912345678")]
    [InlineData("29 123 45 67", "375", "+375291234567")]
    public void FindsAndNormalisesToE164(string said, string? countryCode, string expected)
    {
        var found = PhoneScanner.Scan(said).Select(c => PhoneNormalizer.ToE164(c, countryCode)).FirstOrDefault(p => p is not null);

        Assert.Equal(expected, found);
    }

    [Theory]
    [InlineData("офис на двадцать человек, тариф 1200 BYN в месяц")]
    [InlineData("I was charged twice in October 2024")]
    [InlineData("заказ номер 123456789")]
    [InlineData("mais dois planos, por favor")]
    public void OrdinaryNumbersAreNotPhones(string said)
    {
        var found = PhoneScanner.Scan(said).Select(c => PhoneNormalizer.ToE164(c, defaultCountryCode: null)).Where(p => p is not null);

        Assert.Empty(found);
    }

    [Fact]
    public void ANationalNumberWithoutAKnownCountryIsNotGuessed()
    {
        var candidate = Assert.Single(PhoneScanner.Scan("123 45 67 89"));

        Assert.Null(PhoneNormalizer.ToE164(candidate, defaultCountryCode: null));
    }

    [Theory]
    [InlineData("+375291234567", true)]
    [InlineData("+1415555012", true)]
    [InlineData("375291234567", false)]
    [InlineData("+0291234567", false)]
    [InlineData("+37529123456789012", false)]
    [InlineData("+375 29 123 45 67", false)]
    public void E164IsPlusAndEightToFifteenDigits(string phone, bool valid) => Assert.Equal(valid, PhoneNormalizer.IsE164(phone));
}
