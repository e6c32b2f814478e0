from extraction.locate.labels import caption_positions

TITLES = ["主动公开政府信息情况"]


def test_a_damaged_caption_of_an_appended_table_is_found():
    text = "二、主动公开政府信息情况\n三、收到和处理政府信息公开申请情况\n2021年动公开政府信息情况表\n信息内容\t本年制发件数"
    assert caption_positions(text, TITLES) == [0, text.index("2021年动")]


def test_a_caption_glued_to_the_tables_first_cell_is_found():
    text = "正文\n2021年主动公开政府信息情况表 (本列数据的勾稽关系为…\t申请人情况"
    assert caption_positions(text, TITLES) == [text.index("2021")]


def test_a_sentence_naming_the_section_is_no_caption():
    text = "本机关认真做好主动公开政府信息情况的统计和报送工作，全年公开信息1086条。"
    assert caption_positions(text, TITLES) == []


def test_a_caption_joined_to_the_row_above_is_found_at_its_year():
    text = "行政事业性收费 2021年主动公开政府信息情况表\t0\n"
    assert caption_positions(text, TITLES) == [text.index("2021")]
