using System.Collections.Frozen;

namespace VoiceAnalytics.AnalysisService.Analyzers.Offline;

/// <summary>
/// Number words in Russian, English and Portuguese, as callers dictate phone numbers ("плюс триста семьдесят
/// пять, двадцать девять…", "nine one seven…", "nove meia três…"). Lower-case, "ё" folded to "е".
/// </summary>
public static class NumberWords
{
    /// <summary>Words that stand for the leading "+" of an international number.</summary>
    public static readonly FrozenSet<string> Plus = new[] { "плюс", "plus", "mais" }.ToFrozenSet();

    /// <summary>Words that may join a ten and a unit in Portuguese: "vinte e nove".</summary>
    public static readonly FrozenSet<string> Joiners = new[] { "e" }.ToFrozenSet();

    private static readonly FrozenDictionary<string, NumberWord> Words = Build();

    public static bool TryGet(string lowerWord, out NumberWord word) => Words.TryGetValue(lowerWord, out word);

    private static FrozenDictionary<string, NumberWord> Build()
    {
        var words = new Dictionary<string, NumberWord>();
        void Add(NumberWordKind kind, int value, params string[] spellings)
        {
            foreach (var spelling in spellings)
            {
                words[spelling] = new NumberWord(value, kind);
            }
        }

        // Russian.
        Add(NumberWordKind.Unit, 0, "ноль", "нуль");
        Add(NumberWordKind.Unit, 1, "один", "одна", "одно");
        Add(NumberWordKind.Unit, 2, "два", "две");
        Add(NumberWordKind.Unit, 3, "три");
        Add(NumberWordKind.Unit, 4, "четыре");
        Add(NumberWordKind.Unit, 5, "пять");
        Add(NumberWordKind.Unit, 6, "шесть");
        Add(NumberWordKind.Unit, 7, "семь");
        Add(NumberWordKind.Unit, 8, "восемь");
        Add(NumberWordKind.Unit, 9, "девять");
        Add(NumberWordKind.Teen, 10, "десять");
        Add(NumberWordKind.Teen, 11, "одиннадцать");
        Add(NumberWordKind.Teen, 12, "двенадцать");
        Add(NumberWordKind.Teen, 13, "тринадцать");
        Add(NumberWordKind.Teen, 14, "четырнадцать");
        Add(NumberWordKind.Teen, 15, "пятнадцать");
        Add(NumberWordKind.Teen, 16, "шестнадцать");
        Add(NumberWordKind.Teen, 17, "семнадцать");
        Add(NumberWordKind.Teen, 18, "восемнадцать");
        Add(NumberWordKind.Teen, 19, "девятнадцать");
        Add(NumberWordKind.Ten, 20, "двадцать");
        Add(NumberWordKind.Ten, 30, "тридцать");
        Add(NumberWordKind.Ten, 40, "сорок");
        Add(NumberWordKind.Ten, 50, "пятьдесят");
        Add(NumberWordKind.Ten, 60, "шестьдесят");
        Add(NumberWordKind.Ten, 70, "семьдесят");
        Add(NumberWordKind.Ten, 80, "восемьдесят");
        Add(NumberWordKind.Ten, 90, "девяносто");
        Add(NumberWordKind.Hundred, 100, "сто");
        Add(NumberWordKind.Hundred, 200, "двести");
        Add(NumberWordKind.Hundred, 300, "триста");
        Add(NumberWordKind.Hundred, 400, "четыреста");
        Add(NumberWordKind.Hundred, 500, "пятьсот");
        Add(NumberWordKind.Hundred, 600, "шестьсот");
        Add(NumberWordKind.Hundred, 700, "семьсот");
        Add(NumberWordKind.Hundred, 800, "восемьсот");
        Add(NumberWordKind.Hundred, 900, "девятьсот");

        // English ("oh" is how many people say a zero in a phone number).
        Add(NumberWordKind.Unit, 0, "zero", "oh");
        Add(NumberWordKind.Unit, 1, "one");
        Add(NumberWordKind.Unit, 2, "two");
        Add(NumberWordKind.Unit, 3, "three");
        Add(NumberWordKind.Unit, 4, "four");
        Add(NumberWordKind.Unit, 5, "five");
        Add(NumberWordKind.Unit, 6, "six");
        Add(NumberWordKind.Unit, 7, "seven");
        Add(NumberWordKind.Unit, 8, "eight");
        Add(NumberWordKind.Unit, 9, "nine");
        Add(NumberWordKind.Teen, 10, "ten");
        Add(NumberWordKind.Teen, 11, "eleven");
        Add(NumberWordKind.Teen, 12, "twelve");
        Add(NumberWordKind.Teen, 13, "thirteen");
        Add(NumberWordKind.Teen, 14, "fourteen");
        Add(NumberWordKind.Teen, 15, "fifteen");
        Add(NumberWordKind.Teen, 16, "sixteen");
        Add(NumberWordKind.Teen, 17, "seventeen");
        Add(NumberWordKind.Teen, 18, "eighteen");
        Add(NumberWordKind.Teen, 19, "nineteen");
        Add(NumberWordKind.Ten, 20, "twenty");
        Add(NumberWordKind.Ten, 30, "thirty");
        Add(NumberWordKind.Ten, 40, "forty");
        Add(NumberWordKind.Ten, 50, "fifty");
        Add(NumberWordKind.Ten, 60, "sixty");
        Add(NumberWordKind.Ten, 70, "seventy");
        Add(NumberWordKind.Ten, 80, "eighty");
        Add(NumberWordKind.Ten, 90, "ninety");

        // Portuguese ("meia", half a dozen, is how Brazilians say a six in a phone number).
        Add(NumberWordKind.Unit, 0, "zero");
        Add(NumberWordKind.Unit, 1, "um", "uma");
        Add(NumberWordKind.Unit, 2, "dois", "duas");
        Add(NumberWordKind.Unit, 3, "três", "tres");
        Add(NumberWordKind.Unit, 4, "quatro");
        Add(NumberWordKind.Unit, 5, "cinco");
        Add(NumberWordKind.Unit, 6, "seis", "meia");
        Add(NumberWordKind.Unit, 7, "sete");
        Add(NumberWordKind.Unit, 8, "oito");
        Add(NumberWordKind.Unit, 9, "nove");
        Add(NumberWordKind.Teen, 10, "dez");
        Add(NumberWordKind.Teen, 11, "onze");
        Add(NumberWordKind.Teen, 12, "doze");
        Add(NumberWordKind.Teen, 13, "treze");
        Add(NumberWordKind.Teen, 14, "catorze", "quatorze");
        Add(NumberWordKind.Teen, 15, "quinze");
        Add(NumberWordKind.Teen, 16, "dezesseis", "dezasseis");
        Add(NumberWordKind.Teen, 17, "dezessete", "dezassete");
        Add(NumberWordKind.Teen, 18, "dezoito");
        Add(NumberWordKind.Teen, 19, "dezenove", "dezanove");
        Add(NumberWordKind.Ten, 20, "vinte");
        Add(NumberWordKind.Ten, 30, "trinta");
        Add(NumberWordKind.Ten, 40, "quarenta");
        Add(NumberWordKind.Ten, 50, "cinquenta", "cinqüenta");
        Add(NumberWordKind.Ten, 60, "sessenta");
        Add(NumberWordKind.Ten, 70, "setenta");
        Add(NumberWordKind.Ten, 80, "oitenta");
        Add(NumberWordKind.Ten, 90, "noventa");
        Add(NumberWordKind.Hundred, 100, "cem", "cento");
        Add(NumberWordKind.Hundred, 200, "duzentos");
        Add(NumberWordKind.Hundred, 300, "trezentos");
        Add(NumberWordKind.Hundred, 400, "quatrocentos");
        Add(NumberWordKind.Hundred, 500, "quinhentos");
        Add(NumberWordKind.Hundred, 600, "seiscentos");
        Add(NumberWordKind.Hundred, 700, "setecentos");
        Add(NumberWordKind.Hundred, 800, "oitocentos");
        Add(NumberWordKind.Hundred, 900, "novecentos");

        return words.ToFrozenDictionary();
    }
}
