namespace VoiceAnalytics.Gateway.Lineage;

/// <summary>Русские фразы отчёта о прослеживаемости.</summary>
public static class LineageTextsRu
{
    public static readonly LineageLanguage Table = new(
        Code: "ru",
        DateFormat: "dd.MM.yyyy",
        Title: "Отчёт о прослеживаемости разговора {conversation}",
        CallSentence: "Звонок с номера {phone} принят {date} в {time} UTC и зарегистрирован как разговор {conversation}.",
        CallWithoutNumber: "Разговор {conversation} зарегистрирован {date} в {time} UTC.",
        AgentSentence: "Звонок обработал голосовой агент {agent}.",
        DurationSentence: "Продолжительность: {minutes} мин {seconds} с.",
        RecordingSentence: "С этим разговором связана запись {recordings}.",
        NothingHeld: "Персональные данные этого разговора больше не хранятся; ниже — то, что сохраняет журнал аудита.",
        Unavailable: "Сервис {services} не ответил: его шаги в этом отчёте отсутствуют.",
        Steps: new Dictionary<string, string>
        {
            [LineageStepKinds.Received] = "{date} в {time} UTC шлюз принял событие {event_id} ({event_type}) с адреса {source_address}; подпись проверена ({id}).",
            [LineageStepKinds.Spooled] = "{date} в {time} UTC событие {event_id} сохранено в зашифрованном виде в резервный файл, так как база данных была недоступна ({id}).",
            [LineageStepKinds.Replayed] = "{date} в {time} UTC событие {event_id} перенесено из резервного файла в базу данных ({id}).",
            [LineageStepKinds.Stored] = "{date} в {time} UTC событие {event_id} сохранено в зашифрованном виде ({id}).",
            [LineageStepKinds.Analysis] = "{date} в {time} UTC версия анализа {version} выполнена моделью {model}, промпт {prompt_version}, токенов: {input_tokens} на входе и {output_tokens} на выходе, по запросу {actor} (причина: {reason}) ({id}).",
            [LineageStepKinds.ExportAttempt] = "{date} в {time} UTC версия анализа {analysis_version} отправлена в CRM ({sink}) как запись {crm_record_id} по запросу {actor}: {outcome} ({id}).",
            [LineageStepKinds.AdminRead] = "{date} в {time} UTC {actor}, роль {role}, просмотрел разговор ({action}) с адреса {source_ip} ({id}).",
            [LineageStepKinds.AdminChange] = "{date} в {time} UTC {actor}, роль {role}, выполнил {action} с адреса {source_ip} ({id}).",
            [LineageStepKinds.Rectification] = "{date} в {time} UTC {actor}, роль {role}, исправил анализ с адреса {source_ip} ({id}).",
            [LineageStepKinds.Erasure] = "{date} в {time} UTC {actor}, роль {role}, удалил персональные данные разговора с адреса {source_ip}; аудит хранит только идентификатор и число удалённых записей ({id}).",
            [LineageStepKinds.DroppedAfterErasure] = "{date} в {time} UTC пришло событие удалённого разговора; оно отброшено и не сохранено ({id}).",
        },
        Outcomes: new Dictionary<string, string>
        {
            ["exported"] = "доставлено",
            ["retrying"] = "ошибка, будет повтор",
            ["dead"] = "ошибка, попытки исчерпаны",
            ["skipped"] = "не отправлено (CRM недоступна)",
        });
}
