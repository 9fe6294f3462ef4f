/**
 * kb.md §11: the 27 demo items (texto de demostración). The facts agree with attendance and evalin: the
 * personal QR regenerates every 15 s and only the instructor scans it; justifications carry 1–3 files
 * (PDF, JPEG or PNG, ≤ 5 MB each) within 3 business days; 3 consecutive unjustified absences or
 * attendance below 80 % in 30 days raise follow-up alerts; instructor evaluation runs in periods the
 * administrator opens, and coordination publishes the results after the period closes.
 */
export interface DemoItem {
  n: number;
  title: string;
  kind: 'article' | 'faq' | 'guide' | 'procedure' | 'regulation';
  category: string;
  audience: string[];
  status: 'draft' | 'in_review' | 'published' | 'archived';
  summary: string | null;
  source: string;
  tags: string[];
  content: string;
  /** The earlier version kept as version 1 (items 2 and 10). */
  previous?: { content: string; title?: string };
}

const REG = (chapter: string, article: string) => `Reglamento del Aprendiz, ${chapter}, ${article} (texto de demostración)`;
const DEMO = (what: string) => `${what} (texto de demostración)`;

export const DEMO_ITEMS: DemoItem[] = [
  {
    n: 1,
    title: 'Definición y calidad de aprendiz',
    kind: 'regulation',
    category: 'derechos-deberes',
    audience: ['all'],
    status: 'published',
    summary: 'Quién es aprendiz del centro, cuándo adquiere esa calidad y cuándo la pierde.',
    source: REG('Capítulo I', 'Artículo 1'),
    tags: ['reglamento', 'matrícula', 'calidad-de-aprendiz'],
    content: `## Artículo 1. Definición de aprendiz

Es aprendiz toda persona matriculada en un programa de formación profesional del centro, en cualquiera de sus niveles: técnico, tecnólogo, especialización tecnológica o formación complementaria. El aprendiz es el centro del proceso formativo y participa activamente en su propia formación.

## Adquisición de la calidad de aprendiz

La calidad de aprendiz se adquiere cuando la persona formaliza su matrícula en una ficha, firma el acta de compromiso y aparece registrada en el sistema académico. Desde ese momento puede ingresar a SICORA con su usuario, consultar su horario y registrar su asistencia.

## Pérdida de la calidad de aprendiz

La calidad de aprendiz se pierde por terminación del programa, por retiro voluntario aprobado, por cancelación de la matrícula como sanción disciplinaria o académica, o por deserción, es decir, cuando el aprendiz deja de asistir sin justificación durante el tiempo que fija el reglamento. Mientras conserve su calidad, el aprendiz tiene los derechos y deberes de este reglamento.`,
  },
  {
    n: 2,
    title: 'Derechos del aprendiz',
    kind: 'regulation',
    category: 'derechos-deberes',
    audience: ['all'],
    status: 'published',
    summary: 'Los derechos que el aprendiz puede exigir durante su formación.',
    source: REG('Capítulo II', 'Artículo 8'),
    tags: ['reglamento', 'derechos'],
    previous: {
      content: `## Artículo 8. Derechos del aprendiz

Son derechos del aprendiz recibir formación de calidad, conocer el reglamento, ser tratado con respeto, ser evaluado de forma objetiva y presentar peticiones respetuosas. Esta es la primera versión del artículo, publicada antes de incluir el derecho al debido proceso y a evaluar a los instructores.`,
    },
    content: `## Artículo 8. Derechos del aprendiz

Además de los derechos que la Constitución y la ley reconocen a toda persona, el aprendiz tiene derecho a:

1. Recibir una formación profesional integral de calidad, con instructores idóneos y ambientes de aprendizaje adecuados.
2. Conocer el reglamento del aprendiz desde la inducción y recibir información clara sobre su programa, su horario y sus evaluaciones.
3. Ser tratado con respeto y dignidad por instructores, compañeros y personal del centro, sin discriminación de ningún tipo.
4. Ser evaluado de manera objetiva, conocer oportunamente sus juicios de evaluación y pedir su revisión.
5. Justificar sus inasistencias dentro del plazo establecido y conocer la respuesta de su instructor.
6. Tener un debido proceso cuando se le inicie una actuación disciplinaria o académica, ser escuchado y presentar descargos y recursos.
7. Evaluar a sus instructores en los periodos de evaluación y expresar sus opiniones de forma respetuosa.
8. Elegir y ser elegido vocero o representante de los aprendices.

## Ejercicio de los derechos

El aprendiz ejerce sus derechos de manera responsable y sin afectar los derechos de los demás. Las peticiones se presentan por escrito o por los canales de SICORA y se responden en los plazos de ley.`,
  },
  {
    n: 3,
    title: 'Deberes del aprendiz',
    kind: 'regulation',
    category: 'derechos-deberes',
    audience: ['all'],
    status: 'published',
    summary: 'Los compromisos que asume el aprendiz con su formación y con el centro.',
    source: REG('Capítulo II', 'Artículo 9'),
    tags: ['reglamento', 'deberes', 'obligaciones'],
    content: `## Artículo 9. Deberes del aprendiz

Son deberes y obligaciones del aprendiz:

1. Cumplir el reglamento del aprendiz y las normas de convivencia del centro.
2. Asistir puntualmente a todas las sesiones de formación programadas y registrar su asistencia con su código QR personal, que solo el instructor escanea.
3. Justificar sus inasistencias dentro de los tres días hábiles siguientes, con los soportes correspondientes.
4. Cuidar los ambientes de formación, los equipos, las herramientas y los materiales, y responder por los daños que cause.
5. Tratar con respeto a instructores, compañeros, funcionarios y visitantes.
6. Portar el carné y presentarse con la vestimenta adecuada para las actividades de formación.
7. Presentar las evidencias de aprendizaje en las fechas acordadas y participar en los proyectos formativos.
8. Mantener actualizados sus datos de contacto en SICORA y no compartir su contraseña.

## Incumplimiento

El incumplimiento de los deberes puede constituir una falta académica o disciplinaria, que se trata según el capítulo de faltas y sanciones y con respeto del debido proceso.`,
  },
  {
    n: 4,
    title: 'Faltas académicas y disciplinarias: leves, graves y gravísimas',
    kind: 'regulation',
    category: 'faltas-sanciones',
    audience: ['all'],
    status: 'published',
    summary: 'Qué es una falta académica, qué es una falta disciplinaria y cómo se califican.',
    source: REG('Capítulo IV', 'Artículo 12'),
    tags: ['reglamento', 'faltas', 'disciplina'],
    content: `## Artículo 12. Clases de faltas

**Falta académica** es el incumplimiento de los compromisos de aprendizaje: no presentar evidencias, no alcanzar los resultados de aprendizaje o incumplir los planes de mejoramiento. **Falta disciplinaria** es la conducta que afecta la convivencia, el respeto a las personas o el cuidado de los bienes del centro.

## Calificación de las faltas

Según su naturaleza y sus efectos, las faltas se califican como:

- **Leves:** conductas que afectan de forma menor la convivencia o la formación, como llegar tarde de forma reiterada o usar el celular sin permiso durante la sesión.
- **Graves:** conductas que afectan seriamente la formación o la convivencia, como acumular inasistencias sin justificar, copiar en una evaluación o suplantar a otro aprendiz en el registro de asistencia.
- **Gravísimas:** conductas que ponen en riesgo la integridad de las personas o constituyen delito, como agresiones físicas, acoso, hurto o presentarse bajo el efecto de sustancias psicoactivas.

## Criterios para calificar

Para calificar una falta se tienen en cuenta la intención, el daño causado, la reincidencia, la confesión y la reparación voluntaria del daño.`,
  },
  {
    n: 5,
    title: 'Medidas formativas y sanciones',
    kind: 'regulation',
    category: 'faltas-sanciones',
    audience: ['all'],
    status: 'published',
    summary: 'El llamado de atención, el plan de mejoramiento, el condicionamiento de matrícula y la cancelación.',
    source: REG('Capítulo V', 'Artículo 15'),
    tags: ['reglamento', 'sanciones', 'plan-de-mejoramiento'],
    content: `## Artículo 15. Medidas formativas

Antes de sancionar, el instructor puede aplicar medidas formativas: el **llamado de atención verbal**, el **llamado de atención escrito** y el **plan de mejoramiento académico o disciplinario**, con actividades, responsables y fechas. Estas medidas buscan que el aprendiz corrija su conducta y no constituyen una sanción.

## Artículo 16. Sanciones

Cuando la falta lo amerita y después del debido proceso, se pueden imponer estas sanciones:

1. **Condicionamiento de la matrícula:** el aprendiz continúa su formación bajo compromisos concretos; si los incumple, se puede cancelar la matrícula.
2. **Cancelación de la matrícula:** el aprendiz pierde su calidad de aprendiz y no puede matricularse de nuevo durante el tiempo que fije la decisión.

## Proporcionalidad

La sanción debe ser proporcional a la falta. Una falta leve se atiende con medidas formativas; una falta grave puede llevar al condicionamiento; una falta gravísima puede llevar a la cancelación de la matrícula. Toda sanción queda registrada en la hoja de vida académica del aprendiz.`,
  },
  {
    n: 6,
    title: 'Debido proceso disciplinario y recursos',
    kind: 'regulation',
    category: 'proceso-disciplinario',
    audience: ['all'],
    status: 'published',
    summary: 'Los pasos del proceso disciplinario: informe, citación, descargos, decisión y recursos.',
    source: REG('Capítulo VI', 'Artículo 20'),
    tags: ['reglamento', 'debido-proceso', 'recursos', 'descargos'],
    content: `## Artículo 20. Etapas del proceso

Todo proceso disciplinario o académico respeta el debido proceso y tiene estas etapas:

1. **Informe:** el instructor o cualquier persona informa por escrito los hechos a la coordinación académica, con las pruebas disponibles.
2. **Citación:** la coordinación comunica por escrito al aprendiz los hechos, las normas presuntamente incumplidas y la fecha para presentar sus descargos.
3. **Descargos:** el aprendiz presenta su versión de los hechos, de forma verbal o escrita, puede aportar y pedir pruebas y estar acompañado por el vocero.
4. **Análisis en el Comité de Evaluación y Seguimiento**, que recomienda una decisión.
5. **Decisión:** la coordinación académica decide mediante acto motivado y la comunica al aprendiz.

## Artículo 21. Recursos

Contra la decisión proceden el **recurso de reposición**, ante quien tomó la decisión, y el de **apelación**, ante la subdirección del centro, dentro de los diez días hábiles siguientes a la notificación. Mientras se resuelven los recursos, la decisión no se ejecuta.`,
  },
  {
    n: 7,
    title: 'Comité de Evaluación y Seguimiento',
    kind: 'regulation',
    category: 'proceso-disciplinario',
    audience: ['all'],
    status: 'published',
    summary: 'Quién integra el comité, cuándo se reúne y qué recomienda.',
    source: REG('Capítulo VI', 'Artículo 19'),
    tags: ['reglamento', 'comite', 'seguimiento'],
    content: `## Artículo 19. Integración del comité

El Comité de Evaluación y Seguimiento está integrado por el coordinador académico, que lo preside, el instructor que informó los hechos, el instructor líder de la ficha, un representante de bienestar del aprendiz y el vocero de los aprendices de la ficha. Puede invitar a otras personas con voz pero sin voto.

## Funciones

- Analizar los casos académicos y disciplinarios que le presente la coordinación.
- Escuchar al aprendiz y valorar las pruebas.
- Recomendar medidas formativas o sanciones proporcionales a la falta.
- Hacer seguimiento a los planes de mejoramiento y a los condicionamientos de matrícula.
- Analizar las alertas de deserción que genera SICORA, como las de tres inasistencias consecutivas sin justificar o asistencia por debajo del 80 % en treinta días.

## Sesiones

El comité se reúne de forma ordinaria una vez al mes y de forma extraordinaria cuando la coordinación lo convoca. De cada sesión queda un acta con las recomendaciones y los compromisos.`,
  },
  {
    n: 8,
    title: 'Evaluación del aprendizaje: juicios Aprobado y No aprobado',
    kind: 'regulation',
    category: 'evaluacion-aprendizaje',
    audience: ['all'],
    status: 'published',
    summary: 'Cómo se evalúa el aprendizaje, qué significan los juicios Aprobado y No aprobado y cómo se recupera.',
    source: REG('Capítulo III', 'Artículo 10'),
    tags: ['reglamento', 'evaluacion', 'notas', 'juicios'],
    content: `## Artículo 10. Evaluación del aprendizaje

La evaluación del aprendizaje es continua y se basa en evidencias de conocimiento, de desempeño y de producto. El instructor verifica el logro de cada resultado de aprendizaje y emite un **juicio de evaluación**; en la formación profesional no se usan notas numéricas.

## Juicios evaluativos

- **Aprobado:** el aprendiz demostró el resultado de aprendizaje con las evidencias requeridas.
- **No aprobado:** el aprendiz no demostró el resultado de aprendizaje. En ese caso el instructor concerta un **plan de mejoramiento** con actividades y una nueva fecha de evaluación.

## Recuperación y reclamos

Si después del plan de mejoramiento el resultado sigue sin aprobarse, el caso pasa al Comité de Evaluación y Seguimiento. El aprendiz puede pedir la revisión de un juicio dentro de los cinco días hábiles siguientes a su publicación, mediante solicitud escrita al instructor y, si no está de acuerdo con la respuesta, a la coordinación académica. Los juicios quedan registrados en el sistema académico y se pueden consultar en cualquier momento.`,
  },
  {
    n: 9,
    title: 'Control de asistencia e inasistencias',
    kind: 'regulation',
    category: 'asistencia',
    audience: ['all'],
    status: 'published',
    summary: 'La asistencia es obligatoria; qué es una inasistencia, un retardo y cuándo se generan alertas.',
    source: REG('Capítulo VII', 'Artículo 24'),
    tags: ['reglamento', 'asistencia', 'inasistencias', 'faltas-de-asistencia'],
    content: `## Artículo 24. Asistencia obligatoria

La asistencia a las sesiones de formación es obligatoria. El instructor registra la asistencia en cada sesión escaneando el código QR personal del aprendiz o tomando la lista en SICORA.

## Inasistencias y retardos

Se considera **inasistencia** (falta de asistencia o ausencia) no presentarse a la sesión o llegar después del tiempo de tolerancia. El **retardo** es la llegada después del inicio de la sesión y dentro de la tolerancia. Las inasistencias pueden justificarse con soportes dentro de los tres días hábiles siguientes.

## Alertas de seguimiento

SICORA genera alertas de seguimiento cuando el aprendiz acumula **tres inasistencias consecutivas sin justificar** o cuando su **asistencia baja del 80 % en los últimos treinta días**. El instructor y la coordinación atienden la alerta, contactan al aprendiz y, si es necesario, llevan el caso al Comité de Evaluación y Seguimiento.

## Deserción

El aprendiz que deja de asistir sin justificación durante el tiempo que fija el reglamento puede ser reportado como desertor, con la consecuente cancelación de su matrícula.`,
  },
  {
    n: 10,
    title: 'Cómo justificar una inasistencia',
    kind: 'procedure',
    category: 'justificaciones',
    audience: ['aprendiz', 'instructor'],
    status: 'published',
    summary: 'Envíe la justificación en SICORA dentro de los 3 días hábiles siguientes, con 1 a 3 soportes en PDF, JPEG o PNG.',
    source: DEMO('Procedimiento de justificación de inasistencias'),
    tags: ['justificaciones', 'inasistencias', 'soportes', 'excusas'],
    previous: {
      content: `## Justificar una inasistencia

Entre a SICORA, abra Asistencia y elija Justificar. Adjunte el soporte y envíe la solicitud dentro de los tres días hábiles siguientes a la inasistencia. Esta primera versión no indicaba los formatos ni el tamaño de los archivos.`,
    },
    content: `## ¿Cuántos días tengo para justificar una falta?

Tiene **tres días hábiles** siguientes a la sesión para justificar la inasistencia (la "falta" a una clase); pasado ese plazo, la inasistencia queda sin justificar. Si sabe con anticipación que no podrá asistir, envíe un aviso previo con el mismo procedimiento.

## Paso a paso

1. Ingrese a SICORA y abra **Asistencia → Mis justificaciones**.
2. Elija **Nueva justificación** y seleccione la fecha y las sesiones de la inasistencia.
3. Indique el motivo: médico, familiar, laboral, institucional, personal u otro, y escriba una descripción breve.
4. Adjunte entre **1 y 3 soportes** (excusa médica, incapacidad, constancia, certificado) en **PDF, JPEG o PNG**, de máximo **5 MB** cada uno.
5. Envíe la solicitud. El instructor de la sesión la revisa y la aprueba o la rechaza indicando el motivo.

## Después de enviar

Puede consultar el estado de su justificación en cualquier momento. Si es aprobada, la inasistencia queda como justificada y no cuenta para las alertas de seguimiento. Si es rechazada, puede conversar con su instructor o con la coordinación académica.`,
  },
  {
    n: 11,
    title: 'Revisión de justificaciones por el instructor',
    kind: 'procedure',
    category: 'justificaciones',
    audience: ['instructor', 'coordinador'],
    status: 'published',
    summary: 'Cómo revisar, aprobar o rechazar las justificaciones de inasistencia de sus aprendices.',
    source: DEMO('Procedimiento de revisión de justificaciones'),
    tags: ['justificaciones', 'revision', 'instructores'],
    content: `## Revisar justificaciones pendientes

El instructor recibe una notificación cada vez que un aprendiz de sus fichas envía una justificación. Para revisarla:

1. Ingrese a SICORA y abra **Asistencia → Justificaciones por revisar**.
2. Abra la solicitud y revise la fecha, las sesiones, el motivo y los soportes adjuntos (de uno a tres archivos).
3. Verifique que la justificación se envió dentro de los tres días hábiles siguientes a la inasistencia.
4. Elija **Aprobar** o **Rechazar**. Al rechazar, escriba el motivo para que el aprendiz lo conozca.

## Efectos de la decisión

Una justificación aprobada cambia el registro de asistencia a justificado y deja de contar para las alertas. Una rechazada mantiene la inasistencia. Las justificaciones que no se revisan a tiempo aparecen como vencidas en el tablero de la coordinación.

## Buenas prácticas

Revise las justificaciones al menos dos veces por semana, no pida soportes distintos a los del procedimiento y trate la información médica de los aprendices con confidencialidad.`,
  },
  {
    n: 12,
    title: 'Presentar un recurso de reposición',
    kind: 'procedure',
    category: 'proceso-disciplinario',
    audience: ['all'],
    status: 'published',
    summary: 'Cómo pedir que se revise una decisión disciplinaria o académica que lo afecta.',
    source: DEMO('Procedimiento de recursos'),
    tags: ['recursos', 'reposicion', 'apelacion', 'debido-proceso'],
    content: `## Qué es el recurso de reposición

Es la solicitud que presenta el aprendiz para que quien tomó una decisión académica o disciplinaria la revise, la aclare, la modifique o la revoque. Si además quiere que la revise una instancia superior, puede presentar en subsidio el recurso de apelación.

## Plazo

El recurso se presenta dentro de los **diez días hábiles** siguientes a la notificación de la decisión.

## Paso a paso

1. Redacte un escrito dirigido a la coordinación académica con su nombre, documento, número de ficha y la decisión que impugna.
2. Explique los motivos de su desacuerdo y adjunte las pruebas que los sustentan.
3. Radíquelo en la coordinación o por el canal que indique la notificación, y conserve la constancia de radicación.
4. La coordinación resuelve el recurso y le notifica la respuesta por escrito.

## Efectos

Mientras el recurso se resuelve, la sanción no se aplica. Si la decisión se confirma y presentó apelación, el expediente pasa a la subdirección del centro.`,
  },
  {
    n: 13,
    title: 'Solicitud de aplazamiento o retiro voluntario',
    kind: 'procedure',
    category: 'procedimientos',
    audience: ['aprendiz', 'administrativo', 'coordinador'],
    status: 'published',
    summary: 'Cómo pedir el aplazamiento de la formación o el retiro voluntario sin sanción.',
    source: DEMO('Procedimiento de novedades académicas'),
    tags: ['aplazamiento', 'retiro', 'novedades', 'tramites'],
    content: `## Aplazamiento de la formación

El aprendiz que por motivos de salud, trabajo, calamidad o fuerza mayor no puede continuar temporalmente su formación puede solicitar el **aplazamiento**. Si se aprueba, conserva su cupo y se reintegra en una ficha posterior del mismo programa.

## Retiro voluntario

El **retiro voluntario** es la decisión del aprendiz de terminar su formación antes de tiempo. Si lo solicita por escrito y antes de incurrir en deserción, no se considera sanción y podrá matricularse de nuevo en el futuro.

## Paso a paso

1. Diligencie el formato de novedades académicas que entrega la oficina de administración educativa.
2. Indique si pide aplazamiento o retiro, el motivo y adjunte los soportes.
3. Entregue la solicitud al personal administrativo, que verifica los datos y la envía a la coordinación académica.
4. La coordinación decide y la decisión queda registrada en el sistema académico.

## Recomendación

Hable con su instructor líder antes de decidir: muchas dificultades tienen solución con un plan de mejoramiento o con apoyo de bienestar.`,
  },
  {
    n: 14,
    title: '¿Cómo registro mi asistencia con el código QR?',
    kind: 'faq',
    category: 'asistencia-qr',
    audience: ['aprendiz'],
    status: 'published',
    summary: 'Abra Mi código QR en SICORA y muéstreselo a su instructor: solo el instructor lo escanea.',
    source: DEMO('Preguntas frecuentes de asistencia'),
    tags: ['qr', 'asistencia', 'registro'],
    content: `## Registrar su asistencia

1. Al llegar a la sesión, ingrese a SICORA desde su celular.
2. Abra **Asistencia → Mi código QR**. El código es personal y se regenera cada 15 segundos.
3. Muestre la pantalla a su instructor. **Solo el instructor escanea el código** con su dispositivo; usted no escanea nada.
4. Cuando el instructor lo escanea, su asistencia queda registrada como presente, o como retardo si llegó después del inicio.

## Si algo falla

Si no tiene datos o batería, pida al instructor que lo marque en la lista. No comparta capturas de pantalla de su código: caducan en segundos y compartirlas se considera suplantación.`,
  },
  {
    n: 15,
    title: '¿Por qué mi código QR cambia cada 15 segundos?',
    kind: 'faq',
    category: 'asistencia-qr',
    audience: ['aprendiz'],
    status: 'published',
    summary: 'Para que nadie pueda usar una foto o captura de su código: cada código vale solo 15 segundos.',
    source: DEMO('Preguntas frecuentes de asistencia'),
    tags: ['qr', 'seguridad', 'asistencia'],
    content: `## Un código que caduca

Su código QR personal se **regenera cada 15 segundos**. Cada código está firmado por SICORA y solo es válido durante ese tiempo, por eso una captura de pantalla o una foto enviada a un compañero no sirve para registrar asistencia.

## Por qué es importante

- Evita la suplantación: solo quien está presente en el ambiente puede mostrar su código al instructor.
- Protege su registro: nadie puede marcarle asistencia o retardo con un código viejo.
- Solo el instructor escanea el código, desde su propia sesión en SICORA.

## Qué hacer si el código no carga

Revise su conexión a internet y la hora de su celular, cierre y abra de nuevo la pantalla **Mi código QR**. Si el problema continúa, informe a su instructor para que registre la asistencia manualmente.`,
  },
  {
    n: 16,
    title: '¿Cómo tomo asistencia escaneando el QR de los aprendices?',
    kind: 'faq',
    category: 'asistencia-qr',
    audience: ['instructor'],
    status: 'published',
    summary: 'Abra la sesión en Mis clases, elija Escanear QR y apunte la cámara al código de cada aprendiz.',
    source: DEMO('Preguntas frecuentes para instructores'),
    tags: ['qr', 'asistencia', 'escanear', 'instructores'],
    content: `## Tomar asistencia con QR

1. Ingrese a SICORA y abra **Mis clases del día**.
2. Seleccione la sesión que está dictando y pulse **Abrir lista**.
3. Elija **Escanear QR** y permita el uso de la cámara.
4. Pida a cada aprendiz que muestre su código QR personal y apunte la cámara. SICORA confirma cada registro con el nombre del aprendiz.
5. Al terminar, revise la lista: puede marcar manualmente a quien no pudo mostrar su código.
6. Cierre la lista. Los aprendices sin registro quedan como inasistentes.

## Recuerde

El código de cada aprendiz cambia cada 15 segundos y solo usted, como instructor, lo escanea. Si un código aparece como vencido, pida al aprendiz que actualice la pantalla.`,
  },
  {
    n: 17,
    title: '¿Qué pasa si acumulo inasistencias sin justificar?',
    kind: 'faq',
    category: 'asistencia',
    audience: ['aprendiz', 'instructor'],
    status: 'published',
    summary: 'Con 3 inasistencias consecutivas sin justificar o asistencia menor al 80 % en 30 días se genera una alerta de seguimiento.',
    source: DEMO('Preguntas frecuentes de asistencia'),
    tags: ['inasistencias', 'alertas', 'desercion'],
    content: `## Alertas de seguimiento

SICORA revisa la asistencia todos los días. Se genera una **alerta de seguimiento** cuando el aprendiz acumula **tres inasistencias consecutivas sin justificar** o cuando su **asistencia es menor al 80 % en los últimos treinta días**.

## Qué ocurre después

1. El instructor y la coordinación reciben la alerta y contactan al aprendiz.
2. Se acuerda un plan de mejoramiento o se remite el caso a bienestar.
3. Si las faltas continúan, el caso pasa al Comité de Evaluación y Seguimiento, que puede recomendar un condicionamiento de matrícula.
4. Quien abandona la formación sin justificar puede ser reportado por deserción.

## Cómo evitarlo

Justifique cada inasistencia dentro de los tres días hábiles siguientes y hable a tiempo con su instructor si tiene dificultades.`,
  },
  {
    n: 18,
    title: '¿Cómo evalúo a mis instructores?',
    kind: 'faq',
    category: 'evaluacion-instructores',
    audience: ['aprendiz'],
    status: 'published',
    summary: 'Durante el periodo de evaluación abierto por el administrador, entre a Evaluaciones y responda el cuestionario de cada instructor.',
    source: DEMO('Preguntas frecuentes de evaluación de instructores'),
    tags: ['evaluacion', 'instructores', 'encuesta'],
    content: `## Periodos de evaluación

La evaluación de instructores se realiza en **periodos** que abre el administrador de SICORA. Durante el periodo abierto recibirá una notificación y verá a sus instructores pendientes por evaluar.

## Paso a paso

1. Ingrese a SICORA y abra **Evaluaciones**.
2. Elija el instructor que quiere evaluar.
3. Responda todas las preguntas del cuestionario y, si quiere, escriba comentarios respetuosos.
4. Envíe la evaluación. Una vez enviada no se puede modificar.

## Confidencialidad y resultados

Sus respuestas son anónimas para el instructor. Cuando el periodo se cierra, la **coordinación publica los resultados** consolidados; el instructor solo ve promedios y comentarios sin nombres.`,
  },
  {
    n: 19,
    title: '¿Cómo cambio mi contraseña?',
    kind: 'faq',
    category: 'primeros-pasos',
    audience: ['all'],
    status: 'published',
    summary: 'En Mi perfil, elija Cambiar contraseña, escriba la actual y la nueva dos veces.',
    source: DEMO('Preguntas frecuentes de uso de SICORA'),
    tags: ['contraseña', 'clave', 'cuenta', 'perfil'],
    content: `## Cambiar la contraseña

1. Ingrese a SICORA con su correo y su contraseña actual.
2. Abra el menú de su nombre y elija **Mi perfil → Cambiar contraseña**.
3. Escriba su contraseña actual y la nueva contraseña dos veces.
4. Guarde los cambios. Las demás sesiones abiertas se cierran por seguridad.

## Requisitos de la nueva contraseña

Use al menos diez caracteres, combine letras y números y evite datos personales como su documento o su fecha de nacimiento. No reutilice contraseñas de otros servicios.

## Primer ingreso

En el primer ingreso SICORA le pide cambiar la contraseña temporal antes de usar cualquier otra opción. Si olvidó su contraseña, use **¿Olvidó su contraseña?** en la pantalla de ingreso.`,
  },
  {
    n: 20,
    title: '¿Cómo cargo usuarios desde un archivo CSV?',
    kind: 'faq',
    category: 'uso-sicora',
    audience: ['administrativo', 'coordinador'],
    status: 'published',
    summary: 'En Usuarios, elija Importar CSV, descargue la plantilla, complétela y cárguela; SICORA valida cada fila.',
    source: DEMO('Preguntas frecuentes de administración'),
    tags: ['usuarios', 'csv', 'importar', 'carga-masiva'],
    content: `## Carga masiva de usuarios

1. Abra **Usuarios → Importar CSV**.
2. Descargue la plantilla. Cada fila lleva nombres, apellidos, tipo y número de documento, correo, rol y, para aprendices, el número de ficha.
3. Complete la plantilla sin cambiar los encabezados y guárdela como CSV en UTF-8.
4. Cargue el archivo y revise la validación: SICORA indica las filas con errores, como correos repetidos o fichas inexistentes.
5. Confirme la importación. Cada usuario nuevo recibe un correo de bienvenida con su contraseña temporal.

## Recomendaciones

Cargue archivos de máximo algunos miles de filas, corrija los errores en la plantilla y vuelva a cargar solo las filas rechazadas.`,
  },
  {
    n: 21,
    title: 'Primer ingreso del aprendiz a SICORA',
    kind: 'guide',
    category: 'primeros-pasos',
    audience: ['aprendiz'],
    status: 'published',
    summary: 'Lo que debe hacer el aprendiz la primera vez que entra a SICORA.',
    source: DEMO('Guía de inicio para aprendices'),
    tags: ['primer-ingreso', 'aprendices', 'inicio'],
    content: `## Antes de empezar

Necesita el correo que registró al matricularse y la contraseña temporal que recibió por correo electrónico.

## Primer ingreso

1. Abra SICORA en el navegador de su celular o computador.
2. Escriba su correo y la contraseña temporal.
3. Cambie la contraseña temporal por una propia: SICORA lo pide antes de continuar.
4. Revise sus datos en **Mi perfil** y actualice su teléfono.

## Lo que encontrará

- **Mi horario:** las sesiones de su ficha, con instructor y ambiente.
- **Asistencia:** su código QR personal, su historial y sus justificaciones.
- **Evaluaciones:** la evaluación de instructores cuando haya un periodo abierto.
- **Ayuda:** esta base de conocimiento, con el reglamento del aprendiz y las preguntas frecuentes.

## Ayuda

Si no recibió el correo o su cuenta está bloqueada, consulte el artículo de problemas de acceso o acuda a la oficina de administración educativa.`,
  },
  {
    n: 22,
    title: 'Guía de inicio para instructores',
    kind: 'guide',
    category: 'primeros-pasos',
    audience: ['instructor'],
    status: 'published',
    summary: 'Lo esencial de SICORA para el instructor: clases, asistencia, justificaciones y alertas.',
    source: DEMO('Guía de inicio para instructores'),
    tags: ['instructores', 'inicio', 'guia'],
    content: `## Su día en SICORA

Al ingresar verá **Mis clases del día** con las sesiones asignadas, la ficha, el ambiente y el horario.

## Tomar asistencia

Abra la lista de la sesión y escanee el código QR personal de cada aprendiz, o márquelos manualmente. Cierre la lista al terminar; las listas abiertas se cierran solas al final de la jornada.

## Justificaciones

Revise las justificaciones de inasistencia de sus aprendices en **Justificaciones por revisar**. Apruebe o rechace indicando el motivo.

## Alertas de seguimiento

SICORA le avisa cuando un aprendiz acumula tres inasistencias consecutivas sin justificar o tiene asistencia menor al 80 % en treinta días. Contacte al aprendiz y registre las acciones.

## Contenidos

Puede proponer artículos y guías para esta base de conocimiento: créelos como borrador y envíelos a revisión de la coordinación.`,
  },
  {
    n: 23,
    title: 'Consultar horarios y ambientes de la ficha',
    kind: 'guide',
    category: 'horarios',
    audience: ['all'],
    status: 'published',
    summary: 'Cómo ver el horario semanal de una ficha, los ambientes, las sedes y los cambios de última hora.',
    source: DEMO('Guía de horarios'),
    tags: ['horarios', 'ambientes', 'sedes', 'fichas'],
    content: `## Ver el horario

1. Abra **Horarios** en el menú principal.
2. Los aprendices ven directamente el horario de su ficha; instructores y coordinación eligen la ficha o el instructor.
3. Cambie entre la vista semanal y la vista de lista. Cada sesión muestra la competencia, el instructor, el ambiente y la sede.

## Cambios y cancelaciones

Cuando una sesión se cancela o cambia de ambiente, SICORA la marca en el horario y envía una notificación a los aprendices de la ficha. Los días festivos y de receso no tienen sesiones.

## Exportar

Puede descargar el horario en formato iCalendar para agregarlo a su calendario personal del celular.`,
  },
  {
    n: 24,
    title: 'Seguimiento de aprendices en riesgo de deserción',
    kind: 'guide',
    category: 'guias-pedagogicas',
    audience: ['instructor', 'coordinador'],
    status: 'in_review',
    summary: 'Cómo actuar ante las alertas de riesgo de deserción de los aprendices.',
    source: DEMO('Guía pedagógica de seguimiento'),
    tags: ['desercion', 'seguimiento', 'alertas'],
    content: `## Señales de riesgo

Las inasistencias repetidas, los retardos frecuentes, los resultados no aprobados y los cambios de actitud son señales de riesgo de deserción. SICORA genera alertas cuando hay tres inasistencias consecutivas sin justificar o asistencia menor al 80 % en treinta días.

## Qué hacer

1. Contacte al aprendiz el mismo día de la alerta, por teléfono o en persona.
2. Escuche sus razones sin juzgar y registre la conversación.
3. Acuerde acciones: plan de mejoramiento, remisión a bienestar, apoyos de sostenimiento.
4. Haga seguimiento semanal hasta que la alerta se resuelva.

## Cuándo escalar

Si el aprendiz no responde o las faltas continúan, informe a la coordinación para que el caso llegue al Comité de Evaluación y Seguimiento.`,
  },
  {
    n: 25,
    title: 'Problemas de acceso: cuenta bloqueada y recuperación',
    kind: 'article',
    category: 'soporte',
    audience: ['all'],
    status: 'published',
    summary: 'Qué hacer si olvidó la contraseña, si la cuenta está bloqueada o si no recibe correos de SICORA.',
    source: DEMO('Soporte técnico de SICORA'),
    tags: ['soporte', 'acceso', 'contraseña', 'bloqueo'],
    content: `## Olvidé mi contraseña

En la pantalla de ingreso elija **¿Olvidó su contraseña?**, escriba su correo y siga el enlace que recibirá. El enlace vence en una hora y sirve una sola vez.

## Mi cuenta está bloqueada

Después de varios intentos fallidos de ingreso, la cuenta se bloquea temporalmente por seguridad durante quince minutos. Espere y vuelva a intentar con cuidado, o recupere la contraseña. Si la cuenta fue desactivada, comuníquese con la oficina de administración educativa.

## No recibo correos

Revise las carpetas de correo no deseado y promociones. Verifique en **Mi perfil** que su correo esté bien escrito. Si el problema continúa, escriba a la mesa de ayuda del centro indicando su nombre, documento y ficha, nunca su contraseña.

## Otros problemas

Si SICORA no carga, pruebe con otro navegador o borre la caché. Para problemas de red o del wifi del centro, acuda al soporte técnico de la sede.`,
  },
  {
    n: 26,
    title: 'Buenas prácticas para evaluar el proyecto formativo',
    kind: 'article',
    category: 'proyectos-formativos',
    audience: ['instructor'],
    status: 'draft',
    summary: 'Recomendaciones para evaluar los avances y entregables del proyecto formativo.',
    source: DEMO('Guía de proyectos formativos'),
    tags: ['proyectos', 'evaluacion', 'rubricas'],
    content: `## Antes de evaluar

Comparta con los aprendices la rúbrica de evaluación del proyecto formativo desde el inicio de la fase y acuerde las fechas de entrega de cada avance.

## Durante la evaluación

- Evalúe evidencias concretas: documentos, prototipos, código, presentaciones.
- Registre observaciones específicas y accionables para cada equipo.
- Diferencie el aporte individual del trabajo del equipo.

## Después de evaluar

Publique los resultados en SICORA, programe una sesión de retroalimentación y acuerde planes de mejoramiento para los resultados no aprobados.`,
  },
  {
    n: 27,
    title: 'Calendario académico 2025',
    kind: 'article',
    category: 'general',
    audience: ['all'],
    status: 'archived',
    summary: 'Fechas de inicio, recesos y cierre del año académico 2025.',
    source: DEMO('Calendario académico 2025'),
    tags: ['calendario', 'fechas', '2025'],
    content: `## Calendario académico 2025

- **Inicio de la formación:** 20 de enero de 2025.
- **Receso de Semana Santa:** del 14 al 18 de abril de 2025.
- **Receso de mitad de año:** del 23 de junio al 4 de julio de 2025.
- **Cierre del año académico:** 12 de diciembre de 2025.

## Observaciones

Las fechas de inducción de las nuevas fichas se publican en cada convocatoria. Este calendario fue reemplazado por el del año siguiente y se conserva archivado como referencia.`,
  },
];
